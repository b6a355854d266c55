/**
 * The emails a closed training sends each participant, in their language: the certificate (PDF
 * attached, download and verification links), or what is missing for one.
 */
import { titleIn } from '../locale/title';
import { formatNumber, type Language } from '../locale/language';
import type { IssuanceDecision } from '../domain/certificate';
import type { Training } from '../schemas/training';
import type { Certificate } from '../store/certificates';
import type { OutgoingEmail } from './client';
import { publicUrl } from './format';

const greeting: Record<Language, (name: string) => string> = {
  kk: (name) => `Құрметті ${name}!`,
  ru: (name) => `Здравствуйте, ${name}!`,
  en: (name) => `Dear ${name},`,
};

export function certificateDownloadUrl(certificateId: string): string {
  return publicUrl(`/api/certificates/${certificateId}/pdf`);
}

export function certificateVerificationUrl(code: string): string {
  return publicUrl(`/verify/${code}`);
}

/** Which certificate email it is, in its SES tags (delivery events come back with them). */
export type CertificateEmailKind = 'certificate-issued' | 'certificate-resend';

export function certificateIssuedEmail(certificate: Certificate, pdf: Buffer, kind: CertificateEmailKind = 'certificate-issued'): OutgoingEmail {
  const language = certificate.language;
  const title = titleIn(certificate.trainingTitle, language);
  const download = certificateDownloadUrl(certificate.certificateId);
  const verify = certificateVerificationUrl(certificate.verificationCode);
  const texts: Record<Language, { subject: string; paragraphs: string[] }> = {
    kk: {
      subject: `Сертификатыңыз: ${title}`,
      paragraphs: [
        `«${title}» оқытуын сәтті аяқтағаныңызбен құттықтаймыз! Сертификатыңыз (№ ${certificate.number}) осы хатқа қоса берілген.`,
        `Жүктеп алу: ${download}`,
        `Сертификаттың түпнұсқалығын кез келген адам мына сілтеме арқылы тексере алады (тексеру коды ${certificate.verificationCode}): ${verify}`,
      ],
    },
    ru: {
      subject: `Ваш сертификат: ${title}`,
      paragraphs: [
        `Поздравляем с успешным завершением обучения «${title}»! Ваш сертификат (№ ${certificate.number}) приложен к этому письму.`,
        `Скачать: ${download}`,
        `Подлинность сертификата любой может проверить по ссылке (код проверки ${certificate.verificationCode}): ${verify}`,
      ],
    },
    en: {
      subject: `Your certificate: ${title}`,
      paragraphs: [
        `Congratulations on completing "${title}"! Your certificate (No. ${certificate.number}) is attached to this email.`,
        `Download: ${download}`,
        `Anyone can check that it is genuine at this link (verification code ${certificate.verificationCode}): ${verify}`,
      ],
    },
  };
  const text = texts[language];
  return {
    to: certificate.holderEmail,
    subject: text.subject,
    text: `${[greeting[language](certificate.holderName), ...text.paragraphs].join('\n\n')}\n`,
    attachments: [{ filename: `certificate-${certificate.number}.pdf`, content: pdf, contentType: 'application/pdf' }],
    tags: { certificateId: certificate.certificateId, kind },
  };
}

export interface NotCompletedReader {
  email: string;
  fullName: string;
  preferredLanguage?: Language;
}

export function certificateNotEarnedEmail(
  training: Training,
  reader: NotCompletedReader,
  decision: Extract<IssuanceDecision, { kind: 'not-completed' }>,
): OutgoingEmail {
  const language = reader.preferredLanguage ?? training.language;
  const title = titleIn(training.title, language);
  const attended = formatNumber(decision.attendedHours, language);
  const required = formatNumber(decision.requiredHours, language);
  const feedbackLink = publicUrl(`/trainings/${training.id}/feedback`);
  const texts: Record<Language, { subject: string; hours: string; hoursMet: string; feedback: string; feedbackAnyway: string; contact: string }> = {
    kk: {
      subject: `Сертификат әлі берілмеді: ${title}`,
      hours: `«${title}» оқытуы аяқталды. Сіз ${attended} сағат қатыстыңыз, ал сертификат алу үшін кемінде ${required} сағат қажет, сондықтан сертификат берілмейді.`,
      hoursMet: `«${title}» оқытуы аяқталды. Сіз ${attended} сағат қатыстыңыз (қажеттісі — ${required} сағат), бұл жеткілікті.`,
      feedback: `Сертификат алу үшін кері байланыс қалдыруыңыз керек. Оны мына жерде қалдыра аласыз: ${feedbackLink} — кері байланыс түскеннен кейін сертификат автоматты түрде жіберіледі.`,
      feedbackAnyway: `Оқыту туралы кері байланысыңызды мына жерде қалдыра аласыз: ${feedbackLink}`,
      contact: `Сұрақтарыңыз болса, тренерге жазыңыз: ${training.trainer.name}, ${training.trainer.email}`,
    },
    ru: {
      subject: `Сертификат пока не выдан: ${title}`,
      hours: `Обучение «${title}» завершено. Вы посетили ${attended} ч, а для сертификата нужно не менее ${required} ч, поэтому сертификат не выдаётся.`,
      hoursMet: `Обучение «${title}» завершено. Вы посетили ${attended} ч (нужно ${required} ч) — этого достаточно.`,
      feedback: `Для сертификата нужно оставить отзыв. Это можно сделать здесь: ${feedbackLink} — после отзыва сертификат придёт автоматически.`,
      feedbackAnyway: `Оставить отзыв об обучении можно здесь: ${feedbackLink}`,
      contact: `Вопросы можно задать тренеру: ${training.trainer.name}, ${training.trainer.email}`,
    },
    en: {
      subject: `No certificate yet: ${title}`,
      hours: `"${title}" has ended. You attended ${attended} hours; a certificate needs at least ${required} hours, so none is issued.`,
      hoursMet: `"${title}" has ended. You attended ${attended} hours (${required} required), which is enough.`,
      feedback: `A certificate also needs your feedback. Give it here: ${feedbackLink} — your certificate follows automatically once it is in.`,
      feedbackAnyway: `You can still give feedback on the training here: ${feedbackLink}`,
      contact: `Questions? Write to the trainer: ${training.trainer.name}, ${training.trainer.email}`,
    },
  };
  const text = texts[language];
  const paragraphs = [
    greeting[language](reader.fullName),
    decision.hoursMet ? text.hoursMet : text.hours,
    ...(decision.feedbackMissing ? [decision.hoursMet ? text.feedback : text.feedbackAnyway] : []),
    text.contact,
  ];
  return { to: reader.email, subject: text.subject, text: `${paragraphs.join('\n\n')}\n` };
}
