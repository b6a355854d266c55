import { almatyDateTime } from '../locale/almaty';
import { titleIn } from '../locale/title';
import type { Language } from '../locale/language';
import type { Training } from '../schemas/training';
import type { OutgoingEmail } from './client';
import { publicUrl } from './format';

/** The trainer's confirmation that a training is open for registration. */
export function trainingPublishedEmail(training: Training): OutgoingEmail {
  const language: Language = training.language;
  const title = titleIn(training.title, language);
  const link = publicUrl(`/trainings/${training.id}`);
  const first = almatyDateTime(training.sessions[0]!.startsAt, language);
  const texts: Record<Language, { subject: string; text: string }> = {
    kk: {
      subject: `Оқыту жарияланды: ${title}`,
      text: `«${title}» оқуы жарияланды, мұғалімдер енді тіркеле алады.\nБірінші сабақ: ${first}.\nОрын саны: ${training.capacity}.\nСілтеме: ${link}`,
    },
    ru: {
      subject: `Обучение опубликовано: ${title}`,
      text: `Обучение «${title}» опубликовано, учителя уже могут регистрироваться.\nПервое занятие: ${first}.\nМест: ${training.capacity}.\nСсылка: ${link}`,
    },
    en: {
      subject: `Training published: ${title}`,
      text: `“${title}” is published and teachers can now register.\nFirst session: ${first}.\nSeats: ${training.capacity}.\nLink: ${link}`,
    },
  };
  return { to: training.trainer.email, ...texts[language] };
}
