/**
 * The languages whisper.cpp knows, in its own order (the index is whisper.cpp's language id), as
 * ISO codes and English names in lower case. The engine's `whisperLanguages()` (whose test keeps
 * this equal to the addon's list), the settings' checks and the UI's language pickers all read
 * this one table. Pure: no Node, no DOM.
 */
export const whisperLanguageTable: readonly (readonly [code: string, name: string])[] = [
  ['en', 'english'],
  ['zh', 'chinese'],
  ['de', 'german'],
  ['es', 'spanish'],
  ['ru', 'russian'],
  ['ko', 'korean'],
  ['fr', 'french'],
  ['ja', 'japanese'],
  ['pt', 'portuguese'],
  ['tr', 'turkish'],
  ['pl', 'polish'],
  ['ca', 'catalan'],
  ['nl', 'dutch'],
  ['ar', 'arabic'],
  ['sv', 'swedish'],
  ['it', 'italian'],
  ['id', 'indonesian'],
  ['hi', 'hindi'],
  ['fi', 'finnish'],
  ['vi', 'vietnamese'],
  ['he', 'hebrew'],
  ['uk', 'ukrainian'],
  ['el', 'greek'],
  ['ms', 'malay'],
  ['cs', 'czech'],
  ['ro', 'romanian'],
  ['da', 'danish'],
  ['hu', 'hungarian'],
  ['ta', 'tamil'],
  ['no', 'norwegian'],
  ['th', 'thai'],
  ['ur', 'urdu'],
  ['hr', 'croatian'],
  ['bg', 'bulgarian'],
  ['lt', 'lithuanian'],
  ['la', 'latin'],
  ['mi', 'maori'],
  ['ml', 'malayalam'],
  ['cy', 'welsh'],
  ['sk', 'slovak'],
  ['te', 'telugu'],
  ['fa', 'persian'],
  ['lv', 'latvian'],
  ['bn', 'bengali'],
  ['sr', 'serbian'],
  ['az', 'azerbaijani'],
  ['sl', 'slovenian'],
  ['kn', 'kannada'],
  ['et', 'estonian'],
  ['mk', 'macedonian'],
  ['br', 'breton'],
  ['eu', 'basque'],
  ['is', 'icelandic'],
  ['hy', 'armenian'],
  ['ne', 'nepali'],
  ['mn', 'mongolian'],
  ['bs', 'bosnian'],
  ['kk', 'kazakh'],
  ['sq', 'albanian'],
  ['sw', 'swahili'],
  ['gl', 'galician'],
  ['mr', 'marathi'],
  ['pa', 'punjabi'],
  ['si', 'sinhala'],
  ['km', 'khmer'],
  ['sn', 'shona'],
  ['yo', 'yoruba'],
  ['so', 'somali'],
  ['af', 'afrikaans'],
  ['oc', 'occitan'],
  ['ka', 'georgian'],
  ['be', 'belarusian'],
  ['tg', 'tajik'],
  ['sd', 'sindhi'],
  ['gu', 'gujarati'],
  ['am', 'amharic'],
  ['yi', 'yiddish'],
  ['lo', 'lao'],
  ['uz', 'uzbek'],
  ['fo', 'faroese'],
  ['ht', 'haitian creole'],
  ['ps', 'pashto'],
  ['tk', 'turkmen'],
  ['nn', 'nynorsk'],
  ['mt', 'maltese'],
  ['sa', 'sanskrit'],
  ['lb', 'luxembourgish'],
  ['my', 'myanmar'],
  ['bo', 'tibetan'],
  ['tl', 'tagalog'],
  ['mg', 'malagasy'],
  ['as', 'assamese'],
  ['tt', 'tatar'],
  ['haw', 'hawaiian'],
  ['ln', 'lingala'],
  ['ha', 'hausa'],
  ['ba', 'bashkir'],
  ['jw', 'javanese'],
  ['su', 'sundanese'],
  ['yue', 'cantonese'],
];

/** The language setting that detects the language per file. */
export const autoLanguage = 'auto';

/** What a language setting accepts: `auto`, then every code whisper.cpp knows. */
export const languageSettingValues: readonly string[] = Object.freeze([
  autoLanguage,
  ...whisperLanguageTable.map(([code]) => code),
]);

/** `fr` → `French`, `ht` → `Haitian Creole`; undefined for a code whisper.cpp does not know. */
export function whisperLanguageName(code: string): string | undefined {
  const name = whisperLanguageTable.find(([c]) => c === code)?.[1];
  return name?.replace(/(^|\s)\p{L}/gu, (first) => first.toUpperCase());
}

/**
 * Why `value` is not a language setting (`auto` or a code whisper.cpp knows), in words that
 * suggest the code when `value` is a language's name (`french` → `fr`); undefined when it is one.
 */
export function languageSettingProblem(value: string): string | undefined {
  if (languageSettingValues.includes(value)) return undefined;
  const wanted = value.trim().toLowerCase();
  const byName = whisperLanguageTable.find(([code, name]) => name === wanted || code === wanted);
  if (byName)
    return `Use the code "${byName[0]}" for ${whisperLanguageName(byName[0])}, not "${value}".`;
  return `"${value}" is not a language Whisper knows: use auto, or a code such as en, de or fr.`;
}

/** What `englishOnlyConflict` needs to know of a model. */
export interface LanguageModelFacts {
  id: string;
  kind: string;
  status: string;
  /** `['en']` for an English-only model. */
  languages: readonly string[];
}

/**
 * The English-only model that `language` would be sent to by default, when it cannot transcribe
 * it: the `defaultModel` setting, else the first ready Whisper model (how a transcription that
 * names no model chooses). Undefined when there is no conflict (or `language` is no language).
 */
export function englishOnlyConflict(
  language: string,
  defaultModel: string | null,
  models: readonly LanguageModelFacts[],
): string | undefined {
  if (language === autoLanguage || language === 'en' || languageSettingProblem(language)) {
    return undefined;
  }
  const model =
    defaultModel === null
      ? models.find((m) => m.kind === 'whisper' && m.status === 'ready')
      : models.find((m) => m.id === defaultModel);
  return model && isEnglishOnly(model) ? model.id : undefined;
}

/** An English-only Whisper model (`*.en`, or a file whose header says so) lists just `en`. */
export const isEnglishOnly = (model: Pick<LanguageModelFacts, 'languages'>): boolean =>
  model.languages.length === 1 && model.languages[0] === 'en';

/**
 * Why an English-only model cannot do what a request asks (a language other than en or auto, or
 * a translation), as the field at fault and the words; undefined when it can.
 */
export function englishOnlyRequestProblem(
  model: Pick<LanguageModelFacts, 'id' | 'languages'>,
  request: { language: string; translate?: boolean },
): { field: 'language' | 'translate'; message: string } | undefined {
  if (!isEnglishOnly(model)) return undefined;
  if (request.language !== autoLanguage && request.language !== 'en') {
    return {
      field: 'language',
      message: `The model ${model.id} is English-only, so it cannot transcribe "${request.language}": ask for en or auto, or choose a multilingual model.`,
    };
  }
  if (request.translate) {
    return {
      field: 'translate',
      message: `The model ${model.id} is English-only and cannot translate: choose a multilingual model.`,
    };
  }
  return undefined;
}

/** The words for an `englishOnlyConflict`, the same in the API and the app. */
export const englishOnlyProblem = (modelId: string, language: string) =>
  `The default model ${modelId} is English-only, so "${language}" would fail every transcription; choose en or auto, or a multilingual default model.`;
