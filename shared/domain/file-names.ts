/**
 * File names from people's names: ASCII only, so every unzip tool, mail client and file system
 * keeps them as written. Kazakh and Russian Cyrillic are transliterated (Kazakh letters by the
 * 2021 Latin alphabet without its diacritics), Latin letters lose their accents, and anything
 * else becomes a hyphen.
 */
const cyrillic: Readonly<Record<string, string>> = {
  а: 'a', ә: 'a', б: 'b', в: 'v', г: 'g', ғ: 'g', д: 'd', е: 'e', ё: 'yo', ж: 'zh', з: 'z', и: 'i', й: 'y',
  к: 'k', қ: 'q', л: 'l', м: 'm', н: 'n', ң: 'ng', о: 'o', ө: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u',
  ұ: 'u', ү: 'u', ф: 'f', х: 'kh', һ: 'h', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', і: 'i', ь: '',
  э: 'e', ю: 'yu', я: 'ya',
};

export function transliterate(text: string): string {
  return [...text.normalize('NFC')]
    .map((char) => {
      const lower = char.toLowerCase();
      const latin = cyrillic[lower];
      if (latin === undefined) return char;
      return char === lower || latin === '' ? latin : latin[0]!.toUpperCase() + latin.slice(1);
    })
    .join('')
    // Accented Latin letters (é, ö) to their base letter.
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '');
}

/** `Әлия Ғалымжанқызы` → `Aliya_Galymzhanqyzy`; never empty, never longer than `max`, never a path. */
export function asciiFileStem(text: string, max = 60): string {
  const stem = transliterate(text)
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, max)
    .replace(/_+$/, '');
  return stem || 'certificate';
}
