/**
 * The follow-up survey's invitation and its one reminder, in the certificate's language (the
 * holder's preferred language at registration). The link opens the survey page; the email says
 * when it closes and that the answers are anonymous.
 */
import type { Language } from '../locale/language';
import type { ExpiringCertificate } from '../store/renewal';
import { greeting } from './renewal-emails';
import type { OutgoingEmail } from './client';
import { almatyDateTime } from '../locale/almaty';
import { titleIn } from '../locale/title';
import { publicUrl } from './format';

export type SurveyEmailCertificate = Pick<ExpiringCertificate, 'holderEmail' | 'holderName' | 'language' | 'trainingTitle' | 'number'>;

export function surveyEmail(
  certificate: SurveyEmailCertificate,
  surveyId: string,
  months: number,
  closesAt: string,
  kind: 'invitation' | 'reminder',
): OutgoingEmail {
  const language = certificate.language;
  const title = titleIn(certificate.trainingTitle, language);
  const link = publicUrl(`/surveys/${encodeURIComponent(surveyId)}?lang=${language}`);
  const closes = almatyDateTime(closesAt, language);
  const reminder = kind === 'reminder';
  const texts: Record<Language, { subject: string; paragraphs: string[] }> = {
    kk: {
      subject: `${reminder ? 'Еске салу: ' : ''}«${title}» оқытуынан ${months} ай өтті — бір сауалнама`,
      paragraphs: [
        `«${title}» оқытуы бойынша сертификат алғаныңызға ${months} ай толды. Үйренгеніңізді қалай қолданып жүргеніңіз, мектебіңізде не өзгергені және әріптестеріңізге нені бергеніңіз туралы бірнеше сұраққа жауап беріңіз (5 минуттай).`,
        `Жауаптар жасырын: олар атыңызсыз сақталады, нәтиже тек топ бойынша шығарылады.`,
        `Сауалнама: ${link}`,
        `Сауалнама ${closes} жабылады.`,
      ],
    },
    ru: {
      subject: `${reminder ? 'Напоминание: ' : ''}${months} мес. после обучения «${title}» — короткий опрос`,
      paragraphs: [
        `Прошло ${months} мес. с тех пор, как вы получили сертификат об обучении «${title}». Ответьте, пожалуйста, на несколько вопросов: как вы применяете то, чему научились, что изменилось в вашей школе и что вы передали коллегам (около 5 минут).`,
        `Ответы анонимны: они хранятся без вашего имени, итоги показываются только по группе.`,
        `Опрос: ${link}`,
        `Опрос закрывается ${closes}.`,
      ],
    },
    en: {
      subject: `${reminder ? 'Reminder: ' : ''}${months} months after “${title}” — a short survey`,
      paragraphs: [
        `It is ${months} months since you received your certificate for “${title}”. Please answer a few questions on how you have applied what you learned, what changed in your school and what you passed on to colleagues (about 5 minutes).`,
        `Your answers are anonymous: they are stored without your name, and results are shown for the group only.`,
        `The survey: ${link}`,
        `The survey closes on ${closes}.`,
      ],
    },
  };
  const { subject, paragraphs } = texts[language];
  return { to: certificate.holderEmail, subject, text: `${[greeting[language](certificate.holderName), ...paragraphs].join('\n\n')}\n` };
}
