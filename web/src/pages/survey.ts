import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { ApiError, get, post } from '../api';
import { formatDate } from '../format';
import { language, t } from '../i18n';
import { pathTo } from '../router';
import { ErrorBox, Field, Loading, Notice, TextInput, useApp, useAsync } from '../ui';

/**
 * The follow-up impact survey, opened from its email: the anonymous answers, and apart from them
 * the named opt-in to become a trainer of the next level. The texts come from the API in the
 * reader's language, including what the trainer and the coordinator will see and when.
 */
export function SurveyPage({ surveyId }: { surveyId: string }) {
  const { session } = useApp();
  const survey = useAsync(
    () => (session ? get('surveyForm', `/api/surveys/${encodeURIComponent(surveyId)}?lang=${language()}`) : Promise.resolve(undefined)),
    [surveyId, session],
  );
  const [applied, setApplied] = useState('');
  const [ratings, setRatings] = useState<Record<string, number>>({});
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [colleagues, setColleagues] = useState('0');
  const [forms, setForms] = useState<string[]>([]);
  const [error, setError] = useState<unknown>();
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [optInError, setOptInError] = useState<unknown>();
  const [optInSaved, setOptInSaved] = useState<boolean | undefined>();
  const heading = html`<h1 tabindex="-1">${t('survey.title')}</h1>`;
  if (!session) {
    return html`<section>${heading}<p><a class="button" href=${`${pathTo('signIn')}?next=${encodeURIComponent(location.pathname)}`}>${t('survey.signIn')}</a></p></section>`;
  }
  if (survey.loading) return html`<${Loading} />`;
  if (!survey.data) return html`<section>${heading}<${ErrorBox} error=${survey.error} /></section>`;
  const data = survey.data;
  const fieldError = (key: string) => (error instanceof ApiError && error.fields[key] ? html`<p class="field-error">${error.fields[key].join('; ')}</p>` : null);
  const wouldTrain = optInSaved ?? data.optIn.wouldTrain;
  return html`<section>
    ${heading}
    <p class="lead">${data.trainingTitle}</p>
    <p>${data.intro}</p>
    <p class="muted" data-testid="survey-privacy">${data.privacy}</p>
    <p class="muted">${t('survey.closes', { closes: formatDate(data.closesAt, language()) })}</p>
    ${sent || data.answered
      ? html`<p class="success" role="status" data-testid="survey-sent">${t('survey.thanks')}</p>`
      : data.releasedAt
        ? html`<${Notice}>${t('survey.released', { at: formatDate(data.releasedAt, language()) })}<//>`
        : !data.open
          ? html`<${Notice}>${t('survey.closed', { at: formatDate(data.closesAt, language()) })}<//>`
          : html`<form
              class="stack"
              onSubmit=${async (event: Event) => {
                event.preventDefault();
                setBusy(true);
                setError(undefined);
                try {
                  await post('answerSurvey', `/api/surveys/${encodeURIComponent(surveyId)}`, { part: 'answers', applied, ratings, colleagues: Number(colleagues), forms, answers });
                  setSent(true);
                } catch (caught) {
                  setError(caught);
                } finally {
                  setBusy(false);
                }
              }}
            >
              <fieldset data-question="applied">
                <legend>${data.applied.question}</legend>
                ${data.applied.options.map(
                  (option) => html`<label class="choice"><input type="radio" name="applied" value=${option.id} required checked=${applied === option.id}
                    onChange=${() => setApplied(option.id)} /> ${option.label}</label>`,
                )}
                ${fieldError('applied')}
              </fieldset>
              ${data.ratings.map(
                (rating) => html`<fieldset class="rating" data-rating=${rating.id}>
                  <legend>${rating.label}</legend>
                  <div class="scale">
                    ${[1, 2, 3, 4, 5].map(
                      (score) => html`<label><input type="radio" name=${`rating-${rating.id}`} value=${score} required checked=${ratings[rating.id] === score}
                        onChange=${() => setRatings({ ...ratings, [rating.id]: score })} /> ${score}</label>`,
                    )}
                  </div>
                  <small class="muted">${data.scale.minLabel} · ${data.scale.maxLabel}</small>
                  ${fieldError(`ratings.${rating.id}`)}
                </fieldset>`,
              )}
              ${data.questions.map(
                (question) => html`<${Field} label=${question.text} name=${`answer-${question.id}`} error=${error} errorKey=${`answers.${question.id}`}>
                  ${(fieldId: string, describedBy: string | undefined) => html`<textarea id=${fieldId} rows="3" maxlength=${data.answerMaxLength} aria-describedby=${describedBy}
                    value=${answers[question.id] ?? ''}
                    onInput=${(event: Event) => setAnswers({ ...answers, [question.id]: (event.currentTarget as HTMLTextAreaElement).value })}></textarea>`}
                <//>`,
              )}
              <${TextInput} label=${data.colleagues} name="colleagues" type="number" value=${colleagues} error=${error} errorKey="colleagues"
                onInput=${(value: string) => setColleagues(value)} />
              <fieldset data-question="forms">
                <legend>${data.forms.question}</legend>
                ${data.forms.options.map(
                  (option) => html`<label class="choice"><input type="checkbox" checked=${forms.includes(option.id)}
                    onChange=${(event: Event) =>
                      setForms((event.currentTarget as HTMLInputElement).checked ? [...forms, option.id] : forms.filter((form) => form !== option.id))} /> ${option.label}</label>`,
                )}
                ${fieldError('forms')}
              </fieldset>
              <${ErrorBox} error=${error} />
              <button type="submit" disabled=${busy}>${t('survey.submit')}</button>
            </form>`}
    ${data.optIn.offered && (data.open || data.answered || sent)
      ? html`<section class="card" aria-labelledby="opt-in-heading" data-testid="survey-opt-in">
          <h2 id="opt-in-heading">${t('survey.optInHeading')}</h2>
          <p class="muted">${data.candidate.note}</p>
          <label class="checkbox"><input type="checkbox" checked=${wouldTrain}
            onChange=${async (event: Event) => {
              const next = (event.currentTarget as HTMLInputElement).checked;
              setOptInError(undefined);
              try {
                await post('answerSurvey', `/api/surveys/${encodeURIComponent(surveyId)}`, { part: 'candidate', wouldTrain: next });
                setOptInSaved(next);
              } catch (caught) {
                setOptInError(caught);
              }
            }} /> ${data.candidate.label}</label>
          ${optInSaved !== undefined ? html`<p class="success" role="status">${t(optInSaved ? 'survey.optInSaved' : 'survey.optInWithdrawn')}</p>` : null}
          <${ErrorBox} error=${optInError} />
        </section>`
      : null}
  </section>`;
}
