import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/errors';
import { MAX_IMPORT_ROWS, parseRegistrationCsv } from '../../shared/registration/csv-import';
import { importRowSchema, registerBodySchema } from '../../shared/schemas/registration';

const crlf = (...lines: string[]) => `${lines.join('\r\n')}\r\n`;

function validationMessage(text: string): string {
  try {
    parseRegistrationCsv(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).message;
  }
  throw new Error('expected a ValidationError');
}

describe('parseRegistrationCsv: reading the file', () => {
  it('reads a comma-separated file with English headers', () => {
    const { rows } = parseRegistrationCsv(
      crlf('email,fullName,school,language', 'asel@school.kz,Әсел Нұрланқызы,№5 мектеп,kk', 'ivan@school.kz,Иван Петров,,ru'),
    );
    expect(rows).toEqual([
      { row: 2, value: { email: 'asel@school.kz', fullName: 'Әсел Нұрланқызы', school: '№5 мектеп', preferredLanguage: 'kk' } },
      { row: 3, value: { email: 'ivan@school.kz', fullName: 'Иван Петров', preferredLanguage: 'ru' } },
    ]);
  });

  it('reads an Excel (ru locale) file: BOM, semicolons, Russian headers, CRLF', () => {
    const { rows } = parseRegistrationCsv(
      `\uFEFF${crlf('ФИО;Почта;Школа;Язык', 'Өмірбеков Ұлан Һашимұлы;Ulan@Mail.KZ;"Гимназия №1, г. Алматы";русский')}`,
    );
    expect(rows).toEqual([
      {
        row: 2,
        value: {
          email: 'ulan@mail.kz',
          fullName: 'Өмірбеков Ұлан Һашимұлы',
          school: 'Гимназия №1, г. Алматы',
          preferredLanguage: 'ru',
        },
      },
    ]);
  });

  it('reads Kazakh headers and keeps every Kazakh letter of the names', () => {
    const name = 'Әбдіғаппар Ғалымжан Қоңыратбайұлы Өтеген Үмбетәліұлы Һ';
    const { rows } = parseRegistrationCsv(crlf('Аты-жөні;Пошта;Мектеп;Тіл', `${name};galym@mektep.kz;Шығыс мектеп-лицейі;қазақша`));
    expect(rows[0]?.value).toEqual({ email: 'galym@mektep.kz', fullName: name, school: 'Шығыс мектеп-лицейі', preferredLanguage: 'kk' });
    for (const letter of 'әғқңөұүһі'.split('')) expect(rows[0]?.value?.fullName.toLowerCase()).toContain(letter);
  });

  it('matches header names whatever their case and spelling among the aliases, and ignores other columns', () => {
    const { rows } = parseRegistrationCsv(crlf('№,E-Mail,FULL NAME,Phone,SCHOOL,preferredLanguage', '1,a@x.kz,Ана Ли,+77010000000,Лицей,EN'));
    expect(rows).toEqual([{ row: 2, value: { email: 'a@x.kz', fullName: 'Ана Ли', school: 'Лицей', preferredLanguage: 'en' } }]);
    const withName = parseRegistrationCsv(crlf('Name;e-mail', 'Ерлан;e@x.kz'));
    expect(withName.rows[0]?.value).toEqual({ email: 'e@x.kz', fullName: 'Ерлан' });
  });

  it('detects the delimiter from the header, so commas inside values of a ; file are kept', () => {
    const { rows } = parseRegistrationCsv(crlf('fullName;email;school', 'Сейітқали, Ерлан;e@x.kz;Школа, корпус 2'));
    expect(rows[0]?.value).toEqual({ email: 'e@x.kz', fullName: 'Сейітқали, Ерлан', school: 'Школа, корпус 2' });
  });

  it('reads a tab-separated paste from a spreadsheet', () => {
    const { rows } = parseRegistrationCsv('email\tfullName\na@x.kz\tАйгүл\n');
    expect(rows).toEqual([{ row: 2, value: { email: 'a@x.kz', fullName: 'Айгүл' } }]);
  });

  it('reads quoted values with delimiters, doubled quotes and line breaks, counting rows as a spreadsheet does', () => {
    const { rows } = parseRegistrationCsv(
      crlf(
        'email,fullName,school',
        'a@x.kz,"Ахметов, Дәурен","Мектеп ""Болашақ"""',
        'b@x.kz,Бибігүл,"Ақсу ауылы,',
        'Абай көшесі 5"',
        'c@x.kz,Сәуле,',
      ),
    );
    expect(rows).toEqual([
      { row: 2, value: { email: 'a@x.kz', fullName: 'Ахметов, Дәурен', school: 'Мектеп "Болашақ"' } },
      // A line break inside a value joins the address into one line of text.
      { row: 3, value: { email: 'b@x.kz', fullName: 'Бибігүл', school: 'Ақсу ауылы, Абай көшесі 5' } },
      { row: 4, value: { email: 'c@x.kz', fullName: 'Сәуле' } },
    ]);
  });

  it('skips blank lines and empty rows but keeps counting them, as the spreadsheet shows them', () => {
    const { rows } = parseRegistrationCsv('email;fullName\n\na@x.kz;Асқар\n;\n   \nb@x.kz;Бақыт\n\n');
    expect(rows.map(({ row, value }) => [row, value?.email])).toEqual([
      [3, 'a@x.kz'],
      [6, 'b@x.kz'],
    ]);
  });

  it('keeps quotes typed inside an unquoted name', () => {
    const { rows } = parseRegistrationCsv(crlf('email,fullName', 'a@x.kz,Әсел "Ақ" Нұрланқызы'));
    expect(rows[0]?.value?.fullName).toBe('Әсел "Ақ" Нұрланқызы');
  });

  it('reads a file whose last line has no line break and Unix line endings', () => {
    const { rows } = parseRegistrationCsv('email,fullName\na@x.kz,Айжан\nb@x.kz,Бекзат');
    expect(rows.map((row) => row.value?.fullName)).toEqual(['Айжан', 'Бекзат']);
  });

  it('understands the language as people write it', () => {
    const { rows } = parseRegistrationCsv(
      crlf('email,fullName,language', 'a@x.kz,А,Қазақ тілі', 'b@x.kz,Б,Рус.', 'c@x.kz,В,English', 'd@x.kz,Г,KZ', 'e@x.kz,Д,'),
    );
    expect(rows.map(({ value }) => value?.preferredLanguage)).toEqual(['kk', 'ru', 'en', 'kk', undefined]);
  });

  it(`accepts exactly ${MAX_IMPORT_ROWS} rows`, () => {
    const lines = Array.from({ length: MAX_IMPORT_ROWS }, (_, index) => `user${index}@x.kz,Қатысушы ${index}`);
    const { rows } = parseRegistrationCsv(['email,fullName', ...lines].join('\n'));
    expect(rows).toHaveLength(MAX_IMPORT_ROWS);
    expect(rows.at(-1)).toEqual({ row: MAX_IMPORT_ROWS + 1, value: { email: 'user1999@x.kz', fullName: 'Қатысушы 1999' } });
  });
});

describe('parseRegistrationCsv: rows to fix', () => {
  it('says which row has a bad email and what to do', () => {
    const { rows } = parseRegistrationCsv(crlf('email,fullName', 'a@x.kz,Айбек', 'b@x.kz,Бауыржан', 'abc,Әлия', 'd@x.kz,Дина'));
    expect(rows[2]).toEqual({ row: 4, error: 'row 4: email "abc" is not an email address; correct it and import this row again' });
    expect(rows.filter((row) => row.value).map((row) => row.row)).toEqual([2, 3, 5]);
  });

  it('lists every problem of a row in column order', () => {
    const { rows } = parseRegistrationCsv(crlf('email,fullName,school,language', ',12345,,fr'));
    expect(rows[0]).toEqual({
      row: 2,
      error:
        'row 2: email is empty; full name "12345" must contain a letter; language "fr" is not one of kk, ru, en (leave it empty to use the training\'s language); correct them and import this row again',
    });
  });

  it('reports an empty or too long name, and a too long school', () => {
    const { rows } = parseRegistrationCsv(
      crlf('email;fullName;school', 'a@x.kz;;', `b@x.kz;${'Ә'.repeat(201)};`, `c@x.kz;Ғалия;${'М'.repeat(301)}`),
    );
    expect(rows.map((row) => row.error)).toEqual([
      'row 2: full name is empty; correct it and import this row again',
      'row 3: full name must be at most 200 characters; correct it and import this row again',
      'row 4: school must be at most 300 characters; correct it and import this row again',
    ]);
  });

  it('gives the second occurrence of an email an error, whatever its case', () => {
    const { rows } = parseRegistrationCsv(crlf('email,fullName', 'Asel@School.kz,Әсел', 'b@x.kz,Бақыт', 'asel@school.kz,Әсел Н.'));
    expect(rows[0]?.value?.email).toBe('asel@school.kz');
    expect(rows[2]).toEqual({
      row: 4,
      error: 'row 4: email "asel@school.kz" is already on row 2; a person can be imported only once, so delete this row or correct its email',
    });
  });

  it('turns an unterminated quote into that row’s error and keeps the rows after it', () => {
    const { rows } = parseRegistrationCsv(
      crlf('email;fullName;school', 'a@x.kz;Айгерім;Мектеп 1', 'b@x.kz;"Бекзат;Мектеп 2', 'c@x.kz;Cәкен;"Мектеп ""3"""', 'd@x.kz;Дәулет;Мектеп 4'),
    );
    expect(rows).toEqual([
      { row: 2, value: { email: 'a@x.kz', fullName: 'Айгерім', school: 'Мектеп 1' } },
      { row: 3, error: 'row 3: a value starts with a quote (") that is never closed; fix the quotes in this row and import it again' },
      { row: 4, value: { email: 'c@x.kz', fullName: 'Cәкен', school: 'Мектеп "3"' } },
      { row: 5, value: { email: 'd@x.kz', fullName: 'Дәулет', school: 'Мектеп 4' } },
    ]);
  });

  it('reports an unterminated quote on the last row without losing the rows before it', () => {
    const { rows } = parseRegistrationCsv('email,fullName\na@x.kz,Айгерім\nb@x.kz,"Бекзат\n');
    expect(rows).toEqual([
      { row: 2, value: { email: 'a@x.kz', fullName: 'Айгерім' } },
      { row: 3, error: 'row 3: a value starts with a quote (") that is never closed; fix the quotes in this row and import it again' },
    ]);
  });

  it('reports text after a closing quote on its row', () => {
    const { rows } = parseRegistrationCsv('email,fullName\na@x.kz,"Айгерім" Серікқызы\nc@x.kz,Cәкен\n');
    expect(rows[0]?.error).toMatch(/^row 2: a value in quotes has more text after its closing quote/);
    expect(rows[1]).toEqual({ row: 3, value: { email: 'c@x.kz', fullName: 'Cәкен' } });
  });

  it('catches a value split by an unquoted delimiter', () => {
    const { rows } = parseRegistrationCsv(crlf('email,fullName', 'a@x.kz,Ахметов, Дәурен'));
    expect(rows[0]?.error).toBe(
      'row 2: the row has 3 values but the header has 2 columns — a value probably contains a comma; put that value in quotes; correct it and import this row again',
    );
  });
});

describe('parseRegistrationCsv: problems with the whole file', () => {
  it('rejects an empty file', () => {
    expect(validationMessage('')).toMatch(/^The file is empty/);
    expect(validationMessage('\uFEFF\r\n\r\n')).toMatch(/^The file is empty/);
  });

  it('rejects a header without participants', () => {
    expect(validationMessage('email,fullName\r\n\r\n')).toMatch(/has a header but no participants/);
  });

  it('names the missing columns and the ones it found', () => {
    expect(validationMessage('Name;School\nӘсел;№5\n')).toBe(
      'The header row (row 1) has no email column (it has "Name", "School"). Name the columns email, fullName, school and language (почта/пошта, ФИО/аты-жөні, школа/мектеп, язык/тіл work too) and import the file again.',
    );
    expect(validationMessage('Mail,Телефон\nx\n')).toMatch(/^The header row \(row 1\) has no email or full name column \(it has "Mail", "Телефон"\)/);
  });

  it('rejects two columns for the same field', () => {
    expect(validationMessage('email;почта;ФИО\na@x.kz;b@x.kz;Әсел\n')).toBe(
      'The header row (row 1) has two email columns, "email" and "почта". Keep one of them and import the file again.',
    );
  });

  it('rejects an unreadable header row', () => {
    expect(validationMessage('"email,fullName\na@x.kz,Әсел\n')).toMatch(/^The header row \(row 1\) cannot be read/);
  });

  it(`asks to split a file with more than ${MAX_IMPORT_ROWS} rows`, () => {
    const lines = Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, index) => `user${index}@x.kz,Қатысушы`);
    expect(validationMessage(['email,fullName', ...lines].join('\n'))).toBe(
      'The file has more than 2,000 participant rows; at most 2,000 can be imported at once. Split the file into smaller ones and import them one by one.',
    );
  });

  it('rejects a file that was not UTF-8 instead of importing mangled names', () => {
    const windows1251AsUtf8 = Buffer.from([0xd4, 0xc8, 0xce, 0x3b, 0x65, 0x6d, 0x61, 0x69, 0x6c, 0x0a]).toString('utf8');
    expect(validationMessage(windows1251AsUtf8)).toMatch(/not in UTF-8/);
  });
});

describe('registration schemas', () => {
  it('trims a name, joins its whitespace and composes its letters', () => {
    const decomposedShortI = 'Ай\u0438\u0306гүл'; // и + combining breve, as some keyboards type й
    expect(registerBodySchema.parse({ fullName: `  ${decomposedShortI}\n  Серікқызы ` })).toEqual({ fullName: 'Аййгүл Серікқызы' });
  });

  it('says why a name is refused, once', () => {
    const issues = (body: unknown) => registerBodySchema.safeParse(body).error?.issues.map((issue) => [issue.path.join('.'), issue.message]);
    expect(issues({ fullName: '   ' })).toEqual([['fullName', 'must not be empty']]);
    expect(issues({ fullName: '1984' })).toEqual([['fullName', 'must contain a letter']]);
    expect(issues({ fullName: 'Ә'.repeat(201) })).toEqual([['fullName', 'must be at most 200 characters']]);
    expect(issues({ fullName: 'Әсел', preferredLanguage: 'de' })).toEqual([['preferredLanguage', 'must be one of kk, ru, en']]);
    expect(issues({ fullName: 'Әсел', email: 'a@x.kz' })).toEqual([
      ['', 'has unknown field(s) email; send only fullName, school and preferredLanguage'],
    ]);
  });

  it('lower-cases and checks an imported email', () => {
    expect(importRowSchema.parse({ email: ' Asel@School.KZ ', fullName: 'Әсел' })).toEqual({ email: 'asel@school.kz', fullName: 'Әсел' });
    expect(importRowSchema.safeParse({ email: 'asel@', fullName: 'Әсел' }).success).toBe(false);
  });
});
