/**
 * The author's notice that the trainer commented on a journal entry, in the entry's language (the
 * language the author writes in). It names the entry and links to it; it quotes neither the entry
 * nor the comment, so journal text never travels by email.
 */
import type { Language } from '../locale/language';
import type { JournalComment, JournalEntry } from '../store/journal';
import type { OutgoingEmail } from './client';
import { publicUrl } from './format';

export function journalCommentEmail(entry: JournalEntry, comment: JournalComment): OutgoingEmail {
  const link = publicUrl(`/journal/${entry.entryId}`);
  const texts: Record<Language, { subject: string; text: string }> = {
    kk: {
      subject: `Тренер күнделік жазбаңызға пікір қалдырды: ${entry.title}`,
      text: `Құрметті ${entry.authorName}!\n\nТренер ${comment.authorName} сіздің «${entry.title}» жазбаңызға пікір қалдырды.\n\nПікірді оқу және жауап жазу үшін күнделігіңізді ашыңыз: ${link}\n`,
    },
    ru: {
      subject: `Тренер прокомментировал запись в вашем дневнике: ${entry.title}`,
      text: `Здравствуйте, ${entry.authorName}!\n\nТренер ${comment.authorName} оставил комментарий к вашей записи «${entry.title}».\n\nОткройте дневник, чтобы прочитать комментарий: ${link}\n`,
    },
    en: {
      subject: `Your trainer commented on your journal entry: ${entry.title}`,
      text: `Dear ${entry.authorName},\n\nYour trainer ${comment.authorName} commented on your entry “${entry.title}”.\n\nOpen your journal to read the comment: ${link}\n`,
    },
  };
  return { to: entry.authorEmail, ...texts[entry.language] };
}
