/**
 * Reminders to a participant, in their language: the training starts soon; please give your
 * feedback (1 day and 7 days after the end, to those who have not). Each says what to do and where.
 */
import { almatyDateTime } from '../locale/almaty';
import { titleIn } from '../locale/title';
import type { Language } from '../locale/language';
import { questionIds, ratingIds } from '../config/feedback-form';
import { feedbackWindow } from '../domain/feedback';
import { firstSessionStart, lastSessionEnd } from '../domain/training';
import type { Training } from '../schemas/training';
import type { OutgoingEmail } from './client';
import { publicUrl } from './format';
import type { EmailRegistration } from './registration-emails';
import { sessionList } from './session-list';

type Reader = Pick<EmailRegistration, 'email' | 'fullName' | 'preferredLanguage'>;

interface Texts {
  subject: string;
  paragraphs: string[];
}

const greeting: Record<Language, (name: string) => string> = {
  kk: (name) => `Құрметті ${name}!`,
  ru: (name) => `Здравствуйте, ${name}!`,
  en: (name) => `Dear ${name},`,
};

const trainerContact: Record<Language, (name: string, email: string) => string> = {
  kk: (name, email) => `Сұрақтарыңызды тренерге жазыңыз: ${name}, ${email}`,
  ru: (name, email) => `Вопросы можно задать тренеру: ${name}, ${email}`,
  en: (name, email) => `Questions? Write to the trainer: ${name}, ${email}`,
};

function languageOf(training: Training, reader: Reader): Language {
  return reader.preferredLanguage ?? training.language;
}

function compose(training: Training, reader: Reader, language: Language, texts: Texts): OutgoingEmail {
  const paragraphs = [
    greeting[language](reader.fullName),
    ...texts.paragraphs,
    trainerContact[language](training.trainer.name, training.trainer.email),
  ];
  return { to: reader.email, subject: texts.subject, text: `${paragraphs.join('\n\n')}\n` };
}

/** 24 hours before the first session, to every confirmed participant. */
export function trainingStartsSoonEmail(training: Training, reader: Reader): OutgoingEmail {
  const language = languageOf(training, reader);
  const title = titleIn(training.title, language);
  const first = almatyDateTime(firstSessionStart(training), language);
  const link = publicUrl(`/trainings/${training.id}`);
  const sessions = sessionList(training, language);
  const texts: Record<Language, Texts> = {
    kk: {
      subject: `Еске салу: «${title}» оқытуы жақында басталады`,
      paragraphs: [
        `«${title}» оқытуы жақында басталады. Бірінші сабақ: ${first} (Алматы уақыты).`,
        sessions,
        `Қатыса алмайтын болсаңыз, орныңыз басқа мұғалімге берілуі үшін оқыту бетінде тіркеуден бас тартыңыз: ${link}`,
      ],
    },
    ru: {
      subject: `Напоминание: скоро начинается обучение «${title}»`,
      paragraphs: [
        `Скоро начинается обучение «${title}». Первое занятие: ${first} (время по Алматы).`,
        sessions,
        `Если вы не сможете участвовать, отмените регистрацию на странице обучения, чтобы ваше место досталось другому учителю: ${link}`,
      ],
    },
    en: {
      subject: `Reminder: “${title}” starts soon`,
      paragraphs: [
        `“${title}” starts soon. First session: ${first} (Almaty time).`,
        sessions,
        `If you cannot attend, please cancel your registration on the training page so that your seat can go to another teacher: ${link}`,
      ],
    },
  };
  return compose(training, reader, language, texts[language]);
}

/**
 * 1 day (`first`) and 7 days (`second`) after the last session, to confirmed participants who
 * have not given feedback yet.
 */
export function feedbackReminderEmail(training: Training, reader: Reader, which: 'first' | 'second'): OutgoingEmail {
  const language = languageOf(training, reader);
  const title = titleIn(training.title, language);
  const ended = almatyDateTime(lastSessionEnd(training), language);
  const closes = almatyDateTime(feedbackWindow(training).closesAt, language);
  const link = publicUrl(`/trainings/${training.id}/feedback`);
  const ratings = ratingIds.length;
  const questions = questionIds.length;
  const texts: Record<Language, Texts> = {
    kk: {
      subject:
        which === 'first' ? `«${title}» оқытуы туралы пікіріңізді бөлісіңіз` : `Еске салу: «${title}» оқытуы туралы пікіріңізді күтеміз`,
      paragraphs: [
        which === 'first'
          ? `«${title}» оқытуына қатысқаныңызға рахмет! Пікіріңізді бөлісіңізші: ${ratings} баға және ${questions} ашық сұрақ, шамамен 10 минут.`
          : `«${title}» оқытуы аяқталды (${ended}), бірақ сіздің пікіріңіз әлі келген жоқ. Бірнеше минут бөліп, пікір қалдырыңызшы: ${ratings} баға және ${questions} ашық сұрақ.`,
        'Пікір жасырын: ол атыңызсыз және электрондық поштаңызсыз сақталады, ешкім қай жауаптың сіздікі екенін біле алмайды.',
        ...(training.feedbackRequired ? ['Бұл оқыту бойынша сертификат алу үшін пікір қалдыру қажет.'] : []),
        `Пікір формасы: ${link}\nПікір қабылдаудың соңғы мерзімі: ${closes} (Алматы уақыты).`,
      ],
    },
    ru: {
      subject: which === 'first' ? `Поделитесь отзывом об обучении «${title}»` : `Напоминание: ждём ваш отзыв об обучении «${title}»`,
      paragraphs: [
        which === 'first'
          ? `Спасибо за участие в обучении «${title}»! Пожалуйста, поделитесь отзывом: ${ratings} оценок и ${questions} открытых вопросов, около 10 минут.`
          : `Обучение «${title}» завершилось (${ended}), а вашего отзыва пока нет. Пожалуйста, найдите несколько минут: ${ratings} оценок и ${questions} открытых вопросов.`,
        'Отзыв анонимный: он хранится без вашего имени и адреса почты, и никто не сможет узнать, какие ответы ваши.',
        ...(training.feedbackRequired ? ['Отзыв нужен для получения сертификата об этом обучении.'] : []),
        `Форма отзыва: ${link}\nОтзывы принимаются до ${closes} (время по Алматы).`,
      ],
    },
    en: {
      subject: which === 'first' ? `Please share your feedback on “${title}”` : `Reminder: your feedback on “${title}”`,
      paragraphs: [
        which === 'first'
          ? `Thank you for taking part in “${title}”! Please tell us what you think: ${ratings} ratings and ${questions} open questions, about 10 minutes.`
          : `“${title}” ended on ${ended} and we have not yet received your feedback. Please take a few minutes: ${ratings} ratings and ${questions} open questions.`,
        'Your feedback is anonymous: it is stored without your name or email, and nobody can tell which answers are yours.',
        ...(training.feedbackRequired ? ['Your certificate for this training requires your feedback.'] : []),
        `Feedback form: ${link}\nFeedback closes on ${closes} (Almaty time).`,
      ],
    },
  };
  return compose(training, reader, language, texts[language]);
}
