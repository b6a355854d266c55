/**
 * The reminders before a certificate expires (90 and 30 days before), in the holder's language.
 * A holder whose certificate lets them deliver the next level is told, in the same email, that
 * their trainings of that level can no longer be published after the date.
 */
import { almatyDate } from '../locale/almaty';
import { titleIn } from '../locale/title';
import type { Language } from '../locale/language';
import type { ExpiringCertificate } from '../store/renewal';
import type { OutgoingEmail } from './client';
import { publicUrl } from './format';

export const greeting: Record<Language, (name: string) => string> = {
  kk: (name) => `Құрметті ${name}!`,
  ru: (name) => `Здравствуйте, ${name}!`,
  en: (name) => `Dear ${name},`,
};

export function renewalReminderEmail(certificate: ExpiringCertificate, daysLeft: number, nextLevel: number | undefined): OutgoingEmail {
  const language = certificate.language;
  const title = titleIn(certificate.trainingTitle, language);
  const date = almatyDate(certificate.validUntil, language);
  const find = publicUrl('/trainings');
  const texts: Record<Language, { subject: string; paragraphs: string[] }> = {
    kk: {
      subject: `Сертификатыңыздың мерзімі ${daysLeft} күннен кейін бітеді: ${certificate.number}`,
      paragraphs: [
        `«${title}» оқытуы бойынша ${certificate.number} сертификатыңыз ${date} дейін жарамды (${daysLeft} күн қалды).`,
        ...(nextLevel !== undefined
          ? [
              `Бұл сертификат сізге ${nextLevel}-деңгейдегі оқытуларды өткізуге құқық береді. ${date} кейін сіздің ${nextLevel}-деңгейдегі оқытуларыңызды жариялау мүмкін болмайды.`,
            ]
          : []),
        `Сертификатты жаңарту үшін біліктілікті жаңарту оқытуына (немесе осы деңгейдегі оқытуға қайта) тіркеліңіз: ${find}`,
      ],
    },
    ru: {
      subject: `Срок действия вашего сертификата истекает через ${daysLeft} дн.: ${certificate.number}`,
      paragraphs: [
        `Ваш сертификат ${certificate.number} об обучении «${title}» действителен до ${date} (осталось ${daysLeft} дн.).`,
        ...(nextLevel !== undefined
          ? [
              `Этот сертификат даёт право проводить обучения уровня ${nextLevel}. После ${date} ваши обучения уровня ${nextLevel} нельзя будет опубликовать.`,
            ]
          : []),
        `Чтобы продлить сертификат, запишитесь на обучение по обновлению квалификации (или пройдите обучение этого уровня снова): ${find}`,
      ],
    },
    en: {
      subject: `Your certificate expires in ${daysLeft} days: ${certificate.number}`,
      paragraphs: [
        `Your certificate ${certificate.number} for “${title}” is valid until ${date} (${daysLeft} days left).`,
        ...(nextLevel !== undefined
          ? [
              `This certificate qualifies you to deliver level-${nextLevel} trainings. After ${date} your level-${nextLevel} trainings can no longer be published.`,
            ]
          : []),
        `To renew it, register for a refresher training (or take a training of this level again): ${find}`,
      ],
    },
  };
  const { subject, paragraphs } = texts[language];
  return { to: certificate.holderEmail, subject, text: `${[greeting[language](certificate.holderName), ...paragraphs].join('\n\n')}\n` };
}
