//! How text becomes the keyword index's tokens: one rule for both stores, for what is
//! indexed and for what is searched, so SQLite and PostgreSQL answer a query alike.
//!
//! Chinese and Japanese put no spaces between words, and Korean glues particles to them, so a
//! tokenizer that splits on spaces makes one token of a whole clause and finds nothing by
//! the words a reader types. As Lucene's `cjk_bigram` filter does, a run of Han, Hiragana,
//! Katakana or Hangul becomes its overlapping pairs of characters (`缓存失效` gives `缓存`
//! `存失` `失效`), which is where a two-character word, the commonest length in Chinese, is
//! found; a one-character run stays one token. The run's single characters are indexed too,
//! after the field's other tokens (so the pairs and the words beside them keep their
//! positions for phrases), and a one-character query such as `锁` finds every run that holds
//! it.
//!
//! Other text is split as FTS5's `unicode61` splits it (tokens of letters, digits and
//! private-use characters; everything else separates), lower-cased, with the accents of Latin
//! and Greek letters folded (`caractères` gives `caracteres`). Applied here, before the text
//! reaches either store, that folding is the same on PostgreSQL, whose `unaccent` module is
//! not always installed, as on SQLite (whose `remove_diacritics 2` finds nothing left to do).
//! English stemming stays with the stores' own tokenizers (porter on SQLite, snowball on
//! PostgreSQL), which leave these tokens otherwise as they are.

use unicode_general_category::{GeneralCategory, get_general_category};
use unicode_normalization::UnicodeNormalization;

/// A piece of text as the keyword index sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// A word in a spaced script, lower-cased and folded.
    Word(String),
    /// A run of Han, Hiragana, Katakana and Hangul characters (full width).
    Run(Vec<char>),
}

/// The text's pieces, in order.
pub fn pieces(text: &str) -> Vec<Piece> {
    let text = fold_width(text);
    let mut out = Vec::new();
    let mut word = String::new();
    let mut run = Vec::new();
    for c in text.chars() {
        if is_cjk(c) {
            flush_word(&mut word, &mut out);
            run.push(c);
        } else {
            if !run.is_empty() {
                out.push(Piece::Run(std::mem::take(&mut run)));
            }
            if is_token_char(c) {
                word.push(c);
            } else {
                flush_word(&mut word, &mut out);
            }
        }
    }
    flush_word(&mut word, &mut out);
    if !run.is_empty() {
        out.push(Piece::Run(run));
    }
    out
}

/// The tokens a run stands for in a sequence: its overlapping pairs, or its one character.
pub fn run_tokens(run: &[char]) -> Vec<String> {
    if run.len() == 1 {
        return vec![run[0].to_string()];
    }
    run.windows(2).map(|pair| pair.iter().collect()).collect()
}

/// The text the keyword index is given for one field: its tokens separated by spaces, the
/// single characters of its longer runs last.
pub fn index_text(text: &str) -> String {
    let mut tokens: Vec<String> = Vec::new();
    let mut singles: Vec<String> = Vec::new();
    for piece in pieces(text) {
        match piece {
            Piece::Word(w) => tokens.push(w),
            Piece::Run(run) => {
                tokens.extend(run_tokens(&run));
                if run.len() > 1 {
                    singles.extend(run.iter().map(|c| c.to_string()));
                }
            }
        }
    }
    tokens.extend(singles);
    tokens.join(" ")
}

/// True when the index's tokens for `text` may differ from what FTS5's `unicode61`
/// tokenizer (`remove_diacritics 2`) makes of the raw text: a run of these scripts, full-
/// and half-width forms, or an accented letter beyond the Latin blocks whose accents
/// unicode61 is sure to remove (Greek tonos, Vietnamese). The rows an older SQLite store
/// must index again; everywhere else the two agree token for token.
pub fn differs_from_unicode61(text: &str) -> bool {
    text.chars().any(|c| {
        is_cjk(c)
            || is_width_form(c)
            || (c > '\u{024F}' && !is_diacritic(c) && std::iter::once(c).nfd().any(is_diacritic))
    })
}

/// Han (with its radicals, the iteration mark 々 and 〇), Hiragana, Katakana (not its
/// middle dot ・, which separates words) and Hangul (syllables and jamo).
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{2FDF}'
        | '\u{3005}' | '\u{3007}' | '\u{3021}'..='\u{3029}' | '\u{3038}'..='\u{303B}'
        | '\u{3041}'..='\u{3096}' | '\u{3099}'..='\u{309F}'
        | '\u{30A1}'..='\u{30FA}' | '\u{30FC}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}'
        | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{323AF}'
        | '\u{1100}'..='\u{11FF}' | '\u{3131}'..='\u{318E}' | '\u{A960}'..='\u{A97F}'
        | '\u{AC00}'..='\u{D7A3}' | '\u{D7B0}'..='\u{D7FF}')
}

/// The Halfwidth and Fullwidth Forms block: `ｄｏｃｋｅｒ` and `ﾎﾟｯﾄﾞ` as typed on some
/// Japanese keyboards.
fn is_width_form(c: char) -> bool {
    ('\u{FF00}'..='\u{FFEF}').contains(&c)
}

/// Full-width Latin letters and digits to ASCII, half-width Katakana and Hangul to full
/// width (their compatibility forms, as Lucene's CJK width filter does).
fn fold_width(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_width_form) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut forms = String::new();
    for c in text.chars() {
        if is_width_form(c) {
            forms.push(c);
        } else {
            out.extend(forms.nfkc());
            forms.clear();
            out.push(c);
        }
    }
    out.extend(forms.nfkc());
    out.into()
}

/// What `unicode61` keeps in a token: letters, digits, private use, and the combining
/// diacritics it then removes (so a decomposed `é` stays one word).
fn is_token_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    if is_diacritic(c) {
        return true;
    }
    use GeneralCategory::*;
    matches!(
        get_general_category(c),
        UppercaseLetter
            | LowercaseLetter
            | TitlecaseLetter
            | ModifierLetter
            | OtherLetter
            | DecimalNumber
            | LetterNumber
            | OtherNumber
            | PrivateUse
    )
}

/// The Combining Diacritical Marks: the accents of Latin and Greek letters.
fn is_diacritic(c: char) -> bool {
    ('\u{0300}'..='\u{036F}').contains(&c)
}

fn flush_word(word: &mut String, out: &mut Vec<Piece>) {
    if word.is_empty() {
        return;
    }
    let folded = fold(word);
    word.clear();
    if !folded.is_empty() {
        out.push(Piece::Word(folded));
    }
}

/// Lower case, accents off.
fn fold(word: &str) -> String {
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    let bare: String = word.nfd().filter(|&c| !is_diacritic(c)).nfc().collect();
    let lower = bare.to_lowercase();
    // Lower-casing may bring a diacritic back (İ gives i and a combining dot).
    if lower.chars().any(is_diacritic) {
        lower.nfd().filter(|&c| !is_diacritic(c)).nfc().collect()
    } else {
        lower
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        index_text(text).split(' ').map(String::from).collect()
    }

    #[test]
    fn chinese_runs_become_pairs_with_their_characters_last() {
        assert_eq!(
            index_text("修复Docker构建缓存"),
            "修复 docker 构建 建缓 缓存 修 复 构 建 缓 存"
        );
        // One character alone is its own token, not repeated.
        assert_eq!(index_text("加锁 锁"), "加锁 锁 加 锁");
        assert_eq!(
            pieces("Python3的"),
            vec![Piece::Word("python3".into()), Piece::Run(vec!['的'])]
        );
    }

    #[test]
    fn japanese_scripts_form_one_run_and_the_middle_dot_separates() {
        assert_eq!(
            run_tokens(&['再', '起', '動', 'を']),
            vec!["再起", "起動", "動を"]
        );
        assert_eq!(
            pieces("ポッド・ネットワーク"),
            vec![
                Piece::Run("ポッド".chars().collect()),
                Piece::Run("ネットワーク".chars().collect())
            ]
        );
        // Dakuten stay on their kana (no accent folding there), and half width becomes full.
        assert_eq!(index_text("ﾎﾟｯﾄﾞ"), index_text("ポッド"));
        assert_eq!(index_text("ｄｏｃｋｅｒ　ＢＵＩＬＤ"), "docker build");
    }

    #[test]
    fn korean_words_keep_their_particles_in_pairs() {
        assert_eq!(words("누수를")[..2], ["누수", "수를"]);
    }

    #[test]
    fn other_text_splits_as_unicode61_with_accents_folded() {
        assert_eq!(index_text("Caractères accentués!"), "caracteres accentues");
        assert_eq!(index_text("cafe\u{301}-au-lait"), "cafe au lait");
        assert_eq!(index_text("İstanbul ÆON Ωmega"), "istanbul æon ωmega");
        assert_eq!(index_text("x² — 10×20 foo_bar"), "x² 10 20 foo bar");
        assert_eq!(index_text("  "), "");
        assert!(!differs_from_unicode61("naïve café, x²"));
        assert!(differs_from_unicode61("the 缓存"));
        assert!(differs_from_unicode61("ｄｏｃｋｅｒ"));
        assert!(differs_from_unicode61("άλφα"));
    }
}
