import { describe, expect, it } from 'vitest';
import { bundledConfigFiles, checkConfigFiles, ConfigFileError, type ConfigFile } from '../../shared/config/files';
import { feedbackForm } from '../../shared/config/feedback-form';
import { regions } from '../../shared/config/regions';

/** One bundled file with its content replaced, the others as they are. */
function withContent(path: string, change: (content: unknown) => unknown): ConfigFile[] {
  return bundledConfigFiles.map((file) => (file.path === path ? { ...file, content: change(structuredClone(file.content)) } : file));
}

describe('the config files the functions read unchecked (shared/config/files.ts)', () => {
  it('accepts the files as they are in the repository', () => {
    expect(bundledConfigFiles.map((file) => file.path).sort()).toEqual(
      ['config/feedback-form.json', 'config/follow-up-survey.json', 'config/regions.json', 'config/topics.json'],
    );
    expect(() => checkConfigFiles()).not.toThrow();
  });

  it('refuses a file its schema refuses, naming the file', () => {
    const broken = withContent('config/regions.json', (content) => ({ regions: [{ ...(content as { regions: object[] }).regions[0], kind: 'village' }] }));
    expect(() => checkConfigFiles(broken)).toThrow(ConfigFileError);
    expect(() => checkConfigFiles(broken)).toThrow(/config\/regions\.json: regions\.0\.kind: Invalid option: expected one of "oblast"\|"city"/);
  });

  it('refuses a file the schema would change, because the functions read it as written', () => {
    const padded = withContent('config/feedback-form.json', (content) => ({ ...(content as object), intro: { ...feedbackForm.intro, kk: ` ${feedbackForm.intro.kk} ` } }));
    expect(() => checkConfigFiles(padded)).toThrow(/config\/feedback-form\.json: holds a value its schema would change/);
    const extraKey = withContent('config/regions.json', () => ({ regions: regions.map((region) => ({ ...region, capital: 'x' })) }));
    expect(() => checkConfigFiles(extraKey)).toThrow(/config\/regions\.json: holds a value its schema would change/);
  });

  it('names every broken file at once', () => {
    const both = withContent('config/topics.json', () => ({ topics: [] })).map((file) =>
      file.path === 'config/follow-up-survey.json' ? { ...file, content: {} } : file,
    );
    expect(() => checkConfigFiles(both)).toThrow(/config\/topics\.json: [\s\S]*\nconfig\/follow-up-survey\.json: /);
  });
});
