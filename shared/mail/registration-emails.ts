/**
 * Emails to a participant about their registration, in the participant's language. Each one
 * says what happened and what, if anything, the reader should do next.
 */
import { almatyDateTime } from '../locale/almaty';
import { titleIn } from '../locale/title';
import type { Language } from '../locale/language';
import { firstSessionStart } from '../domain/training';
import type { Registration } from '../schemas/registration';
import type { Training } from '../schemas/training';
import type { EmailAttachment, OutgoingEmail } from './client';
import { publicUrl } from './format';
import { trainingCalendar, type CalendarMethod } from './ics';
import { sessionList } from './session-list';

/**
 * What the templates read of a registration. `preferredLanguage` may be missing on a record
 * written before the participant chose one; the training's language is used then.
 */
export type EmailRegistration = Pick<Registration, 'email' | 'fullName' | 'status' | 'waitlistPosition' | 'confirmedAt'> & {
  preferredLanguage?: Language;
};

interface Labels {
  greeting: (name: string) => string;
  trainerContact: (name: string, email: string) => string;
}

const labels: Record<Language, Labels> = {
  kk: {
    greeting: (name) => `Құрметті ${name}!`,
    trainerContact: (name, email) => `Сұрақтарыңызды тренерге жазыңыз: ${name}, ${email}`,
  },
  ru: {
    greeting: (name) => `Здравствуйте, ${name}!`,
    trainerContact: (name, email) => `Вопросы можно задать тренеру: ${name}, ${email}`,
  },
  en: {
    greeting: (name) => `Dear ${name},`,
    trainerContact: (name, email) => `Questions? Write to the trainer: ${name}, ${email}`,
  },
};

interface Texts {
  subject: string;
  /** Paragraphs; the greeting, the trainer's contact and blank lines between are added around them. */
  paragraphs: string[];
}

/** The seat is the participant's: from direct confirmation or from the waitlist. */
export function registrationConfirmedEmail(training: Training, registration: EmailRegistration): OutgoingEmail {
  const { language, title, link, sessions } = context(training, registration);
  const texts: Record<Language, Texts> = {
    kk: {
      subject: `Тіркелуіңіз расталды: ${title}`,
      paragraphs: [
        `«${title}» оқытуына орныңыз расталды.`,
        sessions,
        `Қоса берілген шақыру (invite.ics) барлық сабақты күнтізбеңізге қосады. Қатыса алмайтын болсаңыз, оқыту бетінде тіркеуден бас тартыңыз, сонда орныңыз күту тізіміндегі келесі адамға беріледі: ${link}`,
      ],
    },
    ru: {
      subject: `Регистрация подтверждена: ${title}`,
      paragraphs: [
        `Ваше место на обучении «${title}» подтверждено.`,
        sessions,
        `Приложенное приглашение (invite.ics) добавит все занятия в ваш календарь. Если вы не сможете участвовать, отмените регистрацию на странице обучения — ваше место перейдёт следующему в листе ожидания: ${link}`,
      ],
    },
    en: {
      subject: `Registration confirmed: ${title}`,
      paragraphs: [
        `Your seat at “${title}” is confirmed.`,
        sessions,
        `The attached invitation (invite.ics) adds every session to your calendar. If you cannot attend, please cancel your registration on the training page so that your seat goes to the next person on the waiting list: ${link}`,
      ],
    },
  };
  return compose(training, registration, language, texts[language], 'REQUEST');
}

export function registrationWaitlistedEmail(training: Training, registration: EmailRegistration): OutgoingEmail {
  const { language, title, link } = context(training, registration);
  const position = registration.waitlistPosition;
  const firstSession = almatyDateTime(firstSessionStart(training), language);
  const texts: Record<Language, Texts> = {
    kk: {
      subject: `Сіз күту тізіміндесіз: ${title}`,
      paragraphs: [
        position === undefined
          ? `«${title}» оқытуындағы барлық орын толды, сондықтан сіз күту тізіміне қосылдыңыз.`
          : `«${title}» оқытуындағы барлық орын толды, сондықтан сіз күту тізіміне қосылдыңыз. Кезектегі нөміріңіз: ${position}.`,
        'Қазір ештеңе істеудің қажеті жоқ: орын босаса, ол кезек бойынша сізге автоматты түрде беріледі және біз бірден күнтізбеге шақыруы бар хат жібереміз.',
        `Бірінші сабақ: ${firstSession}. Енді қатысқыңыз келмесе, оқыту бетінде тіркеуден бас тартыңыз: ${link}`,
      ],
    },
    ru: {
      subject: `Вы в листе ожидания: ${title}`,
      paragraphs: [
        position === undefined
          ? `Все места на обучении «${title}» заняты, поэтому вы добавлены в лист ожидания.`
          : `Все места на обучении «${title}» заняты, поэтому вы добавлены в лист ожидания. Ваш номер в очереди: ${position}.`,
        'Сейчас ничего делать не нужно: если место освободится, оно достанется вам автоматически в порядке очереди, и мы сразу пришлём письмо с приглашением в календарь.',
        `Первое занятие: ${firstSession}. Если вы передумали участвовать, отмените регистрацию на странице обучения: ${link}`,
      ],
    },
    en: {
      subject: `You are on the waiting list: ${title}`,
      paragraphs: [
        position === undefined
          ? `All seats at “${title}” are taken, so you are on the waiting list.`
          : `All seats at “${title}” are taken, so you are on the waiting list. Your place in the queue: ${position}.`,
        'You don’t need to do anything now: if a seat frees up, it goes to you automatically in queue order and we will email you at once with a calendar invitation.',
        `First session: ${firstSession}. If you no longer wish to take part, cancel your registration on the training page: ${link}`,
      ],
    },
  };
  return compose(training, registration, language, texts[language]);
}

/** A seat freed up and the first person on the waitlist got it. */
export function registrationPromotedEmail(training: Training, registration: EmailRegistration): OutgoingEmail {
  const { language, title, link, sessions } = context(training, registration);
  const texts: Record<Language, Texts> = {
    kk: {
      subject: `Сізге орын босады: ${title}`,
      paragraphs: [
        `Қуанышты хабар: «${title}» оқытуында орын босап, ол сізге берілді — енді тіркелуіңіз расталды.`,
        sessions,
        `Қоса берілген шақыру (invite.ics) барлық сабақты күнтізбеңізге қосады. Қатыса алмайтын болсаңыз, оқыту бетінде тіркеуден бірден бас тартыңыз, сонда орын кезектегі келесі адамға беріледі: ${link}`,
      ],
    },
    ru: {
      subject: `Для вас освободилось место: ${title}`,
      paragraphs: [
        `Хорошая новость: на обучении «${title}» освободилось место, и теперь оно ваше — регистрация подтверждена.`,
        sessions,
        `Приложенное приглашение (invite.ics) добавит все занятия в ваш календарь. Если вы не сможете участвовать, пожалуйста, сразу отмените регистрацию на странице обучения — место перейдёт следующему в очереди: ${link}`,
      ],
    },
    en: {
      subject: `A seat is now yours: ${title}`,
      paragraphs: [
        `Good news: a seat at “${title}” has become free and it is now yours — your registration is confirmed.`,
        sessions,
        `The attached invitation (invite.ics) adds every session to your calendar. If you cannot attend, please cancel on the training page straight away so that the seat goes to the next person waiting: ${link}`,
      ],
    },
  };
  return compose(training, registration, language, texts[language], 'REQUEST');
}

/**
 * The participant's registration is cancelled. Only someone who held a seat was sent an
 * invitation, so only they get the file that takes the sessions out of their calendar.
 */
export function registrationCancelledEmail(training: Training, registration: EmailRegistration): OutgoingEmail {
  const { language, title, link, trainer } = context(training, registration);
  const hadInvitation = registration.confirmedAt !== undefined;
  const texts: Record<Language, Texts> = {
    kk: {
      subject: `Тіркеуіңіз жойылды: ${title}`,
      paragraphs: [
        hadInvitation
          ? `«${title}» оқытуына тіркеуіңіз жойылды. Қоса берілген файл (cancel.ics) сабақтарды күнтізбеңізден өшіреді.`
          : `«${title}» оқытуына тіркеуіңіз жойылды.`,
        `Ойыңыз өзгерсе, тіркеу ашық тұрғанда оқыту бетінде қайта тіркеле аласыз (бос орын болмаса, күту тізімінің соңына қосыласыз): ${link}`,
        `Мұны сіз сұрамаған болсаңыз, тренерге жазыңыз: ${trainer}`,
      ],
    },
    ru: {
      subject: `Регистрация отменена: ${title}`,
      paragraphs: [
        hadInvitation
          ? `Ваша регистрация на обучение «${title}» отменена. Приложенный файл (cancel.ics) удалит занятия из вашего календаря.`
          : `Ваша регистрация на обучение «${title}» отменена.`,
        `Если передумаете, зарегистрируйтесь снова на странице обучения, пока регистрация открыта (если свободных мест не будет, вы попадёте в конец листа ожидания): ${link}`,
        `Если вы не отменяли регистрацию, напишите тренеру: ${trainer}`,
      ],
    },
    en: {
      subject: `Registration cancelled: ${title}`,
      paragraphs: [
        hadInvitation
          ? `Your registration for “${title}” is cancelled. The attached file (cancel.ics) removes the sessions from your calendar.`
          : `Your registration for “${title}” is cancelled.`,
        `If you change your mind, you can register again on the training page while registration is open (if no seat is free, you will join the end of the waiting list): ${link}`,
        `If you did not ask for this, write to the trainer: ${trainer}`,
      ],
    },
  };
  return compose(training, registration, language, texts[language], hadInvitation ? 'CANCEL' : undefined, {
    withTrainerContact: false,
  });
}

/**
 * The whole training is called off. The cancellation file goes to everyone: a calendar that
 * never had the events ignores it, and one that had them must not keep them.
 */
export function trainingCancelledEmail(training: Training, registration: EmailRegistration): OutgoingEmail {
  const { language, title } = context(training, registration);
  const reason = training.cancellationReason?.trim();
  const otherTrainings = publicUrl('/trainings');
  const texts: Record<Language, Texts> = {
    kk: {
      subject: `Оқыту өтпейді: ${title}`,
      paragraphs: [
        reason
          ? `Өкінішке қарай, сіз тіркелген «${title}» оқытуы тоқтатылды және өтпейді.\nСебебі: ${reason}`
          : `Өкінішке қарай, сіз тіркелген «${title}» оқытуы тоқтатылды және өтпейді.`,
        `Сізге ештеңе істеудің қажеті жоқ: тіркеуіңіз жабылды, ал қоса берілген файл (cancel.ics) сабақтарды күнтізбеңізден өшіреді. Тіркеу ашық басқа оқытуларды мына жерден таба аласыз: ${otherTrainings}`,
      ],
    },
    ru: {
      subject: `Обучение отменено: ${title}`,
      paragraphs: [
        reason
          ? `К сожалению, обучение «${title}», на которое вы зарегистрировались, отменено и не состоится.\nПричина: ${reason}`
          : `К сожалению, обучение «${title}», на которое вы зарегистрировались, отменено и не состоится.`,
        `Вам ничего не нужно делать: ваша регистрация закрыта, а приложенный файл (cancel.ics) удалит занятия из вашего календаря. Другие обучения с открытой регистрацией: ${otherTrainings}`,
      ],
    },
    en: {
      subject: `Training cancelled: ${title}`,
      paragraphs: [
        reason
          ? `We are sorry: “${title}”, which you registered for, has been cancelled and will not take place.\nReason: ${reason}`
          : `We are sorry: “${title}”, which you registered for, has been cancelled and will not take place.`,
        `You don’t need to do anything: your registration is closed, and the attached file (cancel.ics) removes the sessions from your calendar. Other trainings open for registration: ${otherTrainings}`,
      ],
    },
  };
  return compose(training, registration, language, texts[language], 'CANCEL');
}

function readerLanguage(training: Training, registration: EmailRegistration): Language {
  return registration.preferredLanguage ?? training.language;
}

function context(training: Training, registration: EmailRegistration) {
  const language = readerLanguage(training, registration);
  return {
    language,
    title: titleIn(training.title, language),
    link: publicUrl(`/trainings/${training.id}`),
    sessions: sessionList(training, language),
    trainer: `${training.trainer.name}, ${training.trainer.email}`,
  };
}

function compose(
  training: Training,
  registration: EmailRegistration,
  language: Language,
  texts: Texts,
  calendarMethod?: CalendarMethod,
  { withTrainerContact = true }: { withTrainerContact?: boolean } = {},
): OutgoingEmail {
  const label = labels[language];
  const paragraphs = [
    label.greeting(registration.fullName),
    ...texts.paragraphs,
    ...(withTrainerContact ? [label.trainerContact(training.trainer.name, training.trainer.email)] : []),
  ];
  const email: OutgoingEmail = { to: registration.email, subject: texts.subject, text: `${paragraphs.join('\n\n')}\n` };
  if (calendarMethod) email.attachments = [calendarAttachment(training, registration, calendarMethod)];
  return email;
}

function calendarAttachment(training: Training, registration: EmailRegistration, method: CalendarMethod): EmailAttachment {
  return {
    filename: method === 'REQUEST' ? 'invite.ics' : 'cancel.ics',
    content: trainingCalendar(training, {
      method,
      attendeeEmail: registration.email,
      attendeeName: registration.fullName,
    }),
    contentType: `text/calendar; charset=utf-8; method=${method}`,
  };
}
