/** The email that carries a reissued certificate (a corrected name) to its holder, in their language. */
import { titleIn } from '../locale/title';
import type { Language } from '../locale/language';
import type { Certificate } from '../store/certificates';
import { certificateDownloadUrl, certificateVerificationUrl } from './certificate-emails';
import type { OutgoingEmail } from './client';


export function certificateReissuedEmail(certificate: Certificate, version: number, pdf: Buffer): OutgoingEmail {
  const language = certificate.language;
  const title = titleIn(certificate.trainingTitle, language);
  const download = certificateDownloadUrl(certificate.certificateId);
  const verify = certificateVerificationUrl(certificate.verificationCode);
  const name = certificate.holderName;
  const texts: Record<Language, { subject: string; paragraphs: string[] }> = {
    kk: {
      subject: `Сертификатыңыз қайта берілді: ${title}`,
      paragraphs: [
        `Құрметті ${name}!`,
        `«${title}» оқытуы бойынша сертификатыңыз (№ ${certificate.number}) түзетіліп, қайта берілді (${version}-нұсқа). Жаңа нұсқасы осы хатқа қоса берілген; алдыңғы нұсқаны пайдаланбаңыз.`,
        `Жүктеп алу: ${download}`,
        `Тексеру (код ${certificate.verificationCode}): ${verify}`,
      ],
    },
    ru: {
      subject: `Ваш сертификат переоформлен: ${title}`,
      paragraphs: [
        `Здравствуйте, ${name}!`,
        `Ваш сертификат (№ ${certificate.number}) об обучении «${title}» исправлен и выдан заново (версия ${version}). Новая версия приложена к этому письму; прежнюю не используйте.`,
        `Скачать: ${download}`,
        `Проверка (код ${certificate.verificationCode}): ${verify}`,
      ],
    },
    en: {
      subject: `Your certificate has been reissued: ${title}`,
      paragraphs: [
        `Dear ${name},`,
        `Your certificate (No. ${certificate.number}) for "${title}" has been corrected and reissued (version ${version}). The new version is attached; please stop using the previous one.`,
        `Download: ${download}`,
        `Verify (code ${certificate.verificationCode}): ${verify}`,
      ],
    },
  };
  const text = texts[language];
  return {
    to: certificate.holderEmail,
    subject: text.subject,
    text: `${text.paragraphs.join('\n\n')}\n`,
    attachments: [{ filename: `certificate-${certificate.number}.pdf`, content: pdf, contentType: 'application/pdf' }],
  };
}
