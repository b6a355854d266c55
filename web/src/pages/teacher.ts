import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { isTeamsMeetingUrl } from '../../../shared/domain/online-meeting';
import type { PublicTraining as Training } from '../../../shared/domain/training';
import { ApiError, apiJson, download, get, getAllPages, post } from '../api';
import { codeFromScan } from '../check-in-code';
import { verificationUrl } from '../config';
import { formatDate, formatDateTime, formatTime } from '../format';
import { language, localized, t, type MessageKey } from '../i18n';
import { pathTo } from '../router';
import { hasRole } from '../session';
import { ErrorBox, Field, Loading, Notice, StatusBadge, TextInput, useApp, useAsync } from '../ui';
import type { ResponseBody } from '../../../shared/api/client';

type MyRegistration = ResponseBody<'myRegistrations'>['items'][number];

const myRegistrations = async () => ({ items: await getAllPages('myRegistrations', '/api/me/registrations', { limit: 100 }) });

export function SessionList({ training }: { training: Training }) {
  return html`<ol class="sessions">
    ${training.sessions.map(
      (session) => html`<li>
        <strong>${formatDateTime(session.startsAt, language())} – ${formatTime(session.endsAt, language())}</strong>
        ${session.venue ? html` · ${session.venue}` : null}
        ${session.onlineUrl ? html` · <a href=${session.onlineUrl} target="_blank" rel="noopener">${isTeamsMeetingUrl(session.onlineUrl) ? t('training.teamsLink') : t('training.onlineLink')}</a>` : null}
      </li>`,
    )}
  </ol>`;
}

function RegistrationStatus({ registration }: { registration: MyRegistration }) {
  return html`<p>
    <${StatusBadge} status=${registration.status} label=${t(`registration.${registration.status}` as MessageKey)} />
    ${registration.status === 'waitlisted' && registration.waitlistPosition
      ? html` <span data-testid="waitlist-position">${t('registration.position', { position: registration.waitlistPosition })}</span>`
      : null}
  </p>`;
}

/** On a training's page: register, see where you stand, withdraw. */
export function RegistrationPanel({ training }: { training: Training }) {
  const { session } = useApp();
  const registrations = useAsync(() => (hasRole(session, 'teachers') ? myRegistrations() : Promise.resolve({ items: [] })), [session?.sub]);
  const [form, setForm] = useState({ fullName: session?.name ?? '', school: '' });
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  if (!session) {
    return html`<p><a class="button" href=${`${pathTo('signIn')}?next=${encodeURIComponent(location.pathname)}`}>${t('registration.signInToRegister')}</a></p>`;
  }
  if (!hasRole(session, 'teachers')) return null;
  if (registrations.loading) return html`<${Loading} />`;
  const mine = registrations.data?.items.find((item) => item.trainingId === training.id && item.status !== 'cancelled');

  const act = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      registrations.reload();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  if (mine) {
    return html`<section aria-labelledby="my-registration">
      <h2 id="my-registration">${t('registration.yours')}</h2>
      <${RegistrationStatus} registration=${mine} />
      ${mine.status === 'confirmed'
        ? html`<p><a href=${pathTo('feedback', { id: training.id })}>${t('feedback.link')}</a></p>`
        : null}
      <${ErrorBox} error=${error} />
      <button type="button" class="danger" disabled=${busy} onClick=${() => void act(() => fetchDelete(training.id))}>${t('registration.cancel')}</button>
    </section>`;
  }
  if (training.status !== 'published') return null;
  return html`<section aria-labelledby="register-heading">
    <h2 id="register-heading">${t('registration.register')}</h2>
    <form
      class="stack"
      onSubmit=${(event: Event) => {
        event.preventDefault();
        void act(() => post('register', `/api/trainings/${training.id}/registrations`, { fullName: form.fullName, ...(form.school ? { school: form.school } : {}), preferredLanguage: language() }));
      }}
    >
      <${TextInput} label=${t('registration.fullName')} hint=${t('registration.fullNameHint')} name="fullName" value=${form.fullName} required autocomplete="name" error=${error} onInput=${(fullName: string) => setForm({ ...form, fullName })} />
      <${TextInput} label=${t('registration.school')} name="school" value=${form.school} error=${error} autocomplete="organization" onInput=${(school: string) => setForm({ ...form, school })} />
      <${ErrorBox} error=${error} />
      <button type="submit" disabled=${busy}>${t('registration.registerButton')}</button>
    </form>
  </section>`;
}

function fetchDelete(trainingId: string): Promise<unknown> {
  return apiJson('DELETE', 'withdrawRegistration', `/api/trainings/${trainingId}/registrations/me`);
}

export function MyTrainingsPage() {
  const data = useAsync(async () => {
    const { items } = await myRegistrations();
    return items.flatMap((registration) => (registration.status !== 'cancelled' && registration.training ? [{ registration, training: registration.training }] : []));
  }, []);
  return html`<section>
    <h1 tabindex="-1">${t('myTrainings.title')}</h1>
    ${data.loading ? html`<${Loading} />` : null}
    <${ErrorBox} error=${data.error} />
    ${data.data?.length === 0 ? html`<${Notice}>${t('myTrainings.none')} <a href=${pathTo('trainings')}>${t('home.find')}</a><//>` : null}
    <ul class="cards">
      ${data.data?.map(
        ({ registration, training }) => html`<li class="card">
          <h2><a href=${pathTo('training', { id: training.id })}>${localized(training.title)}</a></h2>
          <${RegistrationStatus} registration=${registration} />
          <${SessionList} training=${training} />
          ${registration.status === 'confirmed' ? html`<p><a href=${pathTo('feedback', { id: training.id })}>${t('feedback.link')}</a></p>` : null}
        </li>`,
      )}
    </ul>
  </section>`;
}

interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>;
}
type BarcodeDetectorConstructor = new (options: { formats: string[] }) => BarcodeDetectorLike;

function barcodeDetector(): BarcodeDetectorConstructor | undefined {
  return (window as unknown as { BarcodeDetector?: BarcodeDetectorConstructor }).BarcodeDetector;
}

/** Reads the trainer's QR with the camera where the browser can decode it. */
function Scanner({ onCode }: { onCode: (code: string) => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState(false);
  useEffect(() => {
    const Detector = barcodeDetector();
    if (!Detector) return;
    const detector = new Detector({ formats: ['qr_code'] });
    let stream: MediaStream | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let live = true;
    const scan = async () => {
      if (!live || !video.current) return;
      try {
        const [found] = await detector.detect(video.current);
        if (found) return onCode(codeFromScan(found.rawValue));
      } catch {
        // A frame that is not ready yet; try the next one.
      }
      timer = setTimeout(() => void scan(), 300);
    };
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' } })
      .then(async (media) => {
        stream = media;
        if (!live || !video.current) return;
        video.current.srcObject = media;
        await video.current.play();
        void scan();
      })
      .catch(() => setError(true));
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, []);
  if (error) return html`<p class="error" role="alert">${t('checkIn.cameraError')}</p>`;
  return html`<video ref=${video} class="scanner" muted playsinline aria-label=${t('checkIn.camera')}></video>`;
}

type CheckInReceipt = ResponseBody<'checkIn'>;

export function CheckInPage() {
  const { session, search } = useApp();
  const [code, setCode] = useState(() => codeFromScan(new URLSearchParams(search).get('code') ?? ''));
  const [scanning, setScanning] = useState(false);
  const [error, setError] = useState<unknown>();
  const [receipt, setReceipt] = useState<CheckInReceipt>();
  const [busy, setBusy] = useState(false);

  if (!session) {
    return html`<section><h1 tabindex="-1">${t('checkIn.title')}</h1>
      <p><a class="button" href=${`${pathTo('signIn')}?next=${encodeURIComponent(location.pathname + location.search)}`}>${t('registration.signInToRegister')}</a></p></section>`;
  }
  const submit = async (value: string) => {
    setBusy(true);
    setError(undefined);
    setReceipt(undefined);
    try {
      setReceipt(await post('checkIn', '/api/check-in', { code: codeFromScan(value) }));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return html`<section>
    <h1 tabindex="-1">${t('checkIn.title')}</h1>
    <p>${t('checkIn.intro')}</p>
    <form
      class="stack"
      onSubmit=${(event: Event) => {
        event.preventDefault();
        void submit(code);
      }}
    >
      <${TextInput} label=${t('checkIn.code')} name="code" value=${code} required autocomplete="off" error=${error} onInput=${setCode} />
      <${ErrorBox} error=${error} />
      <button type="submit" disabled=${busy}>${t('checkIn.submit')}</button>
    </form>
    ${barcodeDetector()
      ? html`<p><button type="button" class="secondary" onClick=${() => setScanning(!scanning)}>${scanning ? t('checkIn.stopScan') : t('checkIn.scan')}</button></p>
          ${scanning
            ? html`<${Scanner}
                onCode=${(scanned: string) => {
                  setScanning(false);
                  setCode(scanned);
                  void submit(scanned);
                }}
              />`
            : null}`
      : html`<p class="muted">${t('checkIn.noScanner')}</p>`}
    ${receipt
      ? html`<p class="success" role="status" data-testid="check-in-done">
          ${receipt.alreadyRecorded ? t('checkIn.already') : t('checkIn.done')} (${formatDateTime(receipt.recordedAt, language())})
        </p>`
      : null}
  </section>`;
}


export function FeedbackPage({ id }: { id: string }) {
  const { session } = useApp();
  const form = useAsync(() => get('feedbackForm', `/api/trainings/${encodeURIComponent(id)}/feedback/form?lang=${language()}`), [id]);
  const [ratings, setRatings] = useState<Record<string, number>>({});
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);
  if (form.loading) return html`<${Loading} />`;
  if (!form.data) return html`<section><h1 tabindex="-1">${t('feedback.title')}</h1><${ErrorBox} error=${form.error} /></section>`;
  const data = form.data;
  if (sent) {
    return html`<section><h1 tabindex="-1">${t('feedback.title')}</h1><p class="success" role="status" data-testid="feedback-sent">${t('feedback.thanks')}</p></section>`;
  }
  return html`<section>
    <h1 tabindex="-1">${t('feedback.title')}</h1>
    <p class="lead">${data.title}</p>
    <p>${data.intro}</p>
    <p class="muted" data-testid="feedback-privacy">${t('feedback.privacy', { closes: formatDate(data.window.closesAt, language()), minimum: data.minimumResponses })}</p>
    ${data.releasedAt
      ? html`<${Notice}>${t('feedback.released', { at: formatDate(data.releasedAt, language()) })}<//>`
      : data.open
        ? null
        : html`<${Notice}>${t('feedback.notOpen', { opens: formatDate(data.window.opensAt, language()), closes: formatDate(data.window.closesAt, language()) })}<//>`}
    ${!session ? html`<p><a class="button" href=${`${pathTo('signIn')}?next=${encodeURIComponent(location.pathname)}`}>${t('registration.signInToRegister')}</a></p>` : null}
    ${data.releasedAt ? null : html`<form
      class="stack"
      onSubmit=${async (event: Event) => {
        event.preventDefault();
        setBusy(true);
        setError(undefined);
        try {
          await post('submitFeedback', `/api/trainings/${encodeURIComponent(id)}/feedback`, { ratings, answers });
          setSent(true);
        } catch (caught) {
          setError(caught);
        } finally {
          setBusy(false);
        }
      }}
    >
      ${data.ratings.map(
        (rating) => html`<fieldset class="rating" data-rating=${rating.id}>
          <legend>${rating.label}</legend>
          <div class="scale">
            ${[1, 2, 3, 4, 5].map(
              (score) => html`<label>
                <input type="radio" name=${`rating-${rating.id}`} value=${score} required checked=${ratings[rating.id] === score} onChange=${() => setRatings({ ...ratings, [rating.id]: score })} />
                ${score}
              </label>`,
            )}
          </div>
          <small class="muted">${rating.minLabel} · ${rating.maxLabel}</small>
          ${error instanceof ApiError && error.fields[`ratings.${rating.id}`]
            ? html`<p class="field-error">${error.fields[`ratings.${rating.id}`]!.join('; ')}</p>`
            : null}
        </fieldset>`,
      )}
      ${data.questions.map(
        (question) => html`<${Field} label=${question.text} name=${`answer-${question.id}`} error=${error} errorKey=${`answers.${question.id}`}>
          ${(fieldId: string, describedBy: string | undefined) => html`<textarea
            id=${fieldId}
            rows="3"
            maxlength=${data.answerMaxLength}
            aria-describedby=${describedBy}
            value=${answers[question.id] ?? ''}
            onInput=${(event: Event) => setAnswers({ ...answers, [question.id]: (event.currentTarget as HTMLTextAreaElement).value })}
          ></textarea>`}
        <//>`,
      )}
      <${ErrorBox} error=${error} />
      <button type="submit" disabled=${busy || !session}>${t('feedback.submit')}</button>
    </form>`}
  </section>`;
}

type MyCertificate = ResponseBody<'myCertificates'>['items'][number];

function CertificateRow({ certificate }: { certificate: MyCertificate }) {
  const training = useAsync(() => get('getTraining', `/api/trainings/${certificate.trainingId}`), [certificate.trainingId]);
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<unknown>();
  const run = (action: () => Promise<void>) => {
    setError(undefined);
    action().catch((caught: unknown) => setError(caught));
  };
  const link = verificationUrl(certificate.verificationCode);
  return html`<li class="card" data-certificate=${certificate.number}>
    <h2>${training.data ? localized(training.data.title) : certificate.number}</h2>
    <p>
      <${StatusBadge} status=${certificate.status} label=${t(`verify.${certificate.status}` as MessageKey)} />
      ${' '}${t('verify.number')}: ${certificate.number} · ${t('verify.validUntil')}: ${formatDate(certificate.validUntil, language())}
    </p>
    <p class="actions">
      <button type="button" onClick=${() => run(() => download(`/api/certificates/${certificate.id}/pdf`, `${certificate.number}.pdf`))}>${t('certificates.pdf')}</button>
      <button
        type="button"
        class="secondary"
        onClick=${() =>
          run(async () => {
            await navigator.clipboard.writeText(link);
            setMessage(t('certificates.copied'));
          })}
      >
        ${t('certificates.copyLink')}
      </button>
      <button type="button" class="secondary" onClick=${() => run(() => download(`/api/certificates/${certificate.id}/credential.json`, `${certificate.number}.badge.json`))}>${t('certificates.badge')}</button>
      <a href=${`/verify/${certificate.verificationCode}`}>${t('certificates.verifyPage')}</a>
    </p>
    ${message ? html`<p class="success" role="status">${message}</p>` : null}
    <${ErrorBox} error=${error} />
  </li>`;
}

export function MyCertificatesPage() {
  const list = useAsync(async () => ({ items: await getAllPages('myCertificates', '/api/me/certificates', { limit: 100 }) }), []);
  return html`<section>
    <h1 tabindex="-1">${t('certificates.title')}</h1>
    ${list.loading ? html`<${Loading} />` : null}
    <${ErrorBox} error=${list.error} />
    ${list.data?.items.length === 0 ? html`<${Notice}>${t('certificates.none')}<//>` : null}
    <ul class="cards">${list.data?.items.map((certificate) => html`<${CertificateRow} certificate=${certificate} />`)}</ul>
  </section>`;
}
