//! Skipping the rest of an element: checked in `Full`, by structure alone
//! in `Skim`.

use super::lex::{check_other, reference};
use super::reader::{Content, Reader, State, Tok};
use super::skim;
use crate::scan::{fail, PResult};
use crate::simd::V16;
use crate::ErrorKind;

impl<'buf> Reader<'buf> {
    /// Skips to the end of the innermost open element. Always inlined: most
    /// skipped elements are leaves, read by the inlined [`leaf`](Self::leaf)
    /// (`Full` 1.8% fewer instructions on the seed, callgrind). Only hinted
    /// with debug assertions, for the stack reason given at `leaf`.
    #[cfg_attr(not(debug_assertions), inline(always))]
    #[cfg_attr(debug_assertions, inline)]
    pub(crate) fn skip(&mut self) -> PResult<()> {
        if self.settings.skim {
            return self.skim_skip();
        }
        let target = self.depth.saturating_sub(1);
        if let Content::Leaf { .. } = self.leaf()? {
            return Ok(());
        }
        while self.depth > target {
            if let Tok::Start { empty: false, .. } = self.next_in_content()? {
                self.leaf()?;
            }
        }
        Ok(())
    }

    /// `Skim` skip: follows tags, comments, CDATA and PIs to find the end of the
    /// innermost open element, without checking names or characters.
    fn skim_skip(&mut self) -> PResult<()> {
        let input = self.input;
        let opener = self
            .open
            .get(self.depth.wrapping_sub(1))
            .map_or(0, |&(o, _)| (o as usize).saturating_sub(1));
        let mut lts = skim::Lts::new(input);
        let after = skim::skip(
            input,
            &mut lts,
            self.settings.max_depth,
            opener,
            self.pos,
            self.depth,
        )?;
        self.pos = skim::end_tag_end(input, after)?;
        self.depth -= 1;
        if self.depth == 0 {
            self.state = State::Epilog;
        }
        Ok(())
    }
}

impl Reader<'_> {
    /// Character data from `k` up to the next `<` (or the end of input),
    /// checked as [`text`](Self::text) checks it with no ASCII prefix known:
    /// references, `]]>`, the characters that are not `Char`s. Returns where
    /// it ends and whether it needs decoding (a reference or a `\r`).
    ///
    /// For `Skim` extraction (`path::select_xml`), which checks the values
    /// it returns without a reader: an associated function, so it needs no
    /// reader (and no stack of open elements) to be built.
    pub(crate) fn skim_text(input: &[u8], k: usize) -> PResult<(usize, bool)> {
        let mut k = k;
        let mut escaped = false;
        loop {
            k = crate::scan::find_class(input, k, text_class, |b| {
                matches!(b, b'<' | b'&' | b']' | 0xEF) || (b < 0x20 && b != b'\t' && b != b'\n')
            });
            match input.get(k) {
                None | Some(b'<') => return Ok((k, escaped)),
                Some(b'&') => {
                    k = reference(input, k)?;
                    escaped = true;
                }
                Some(b']') => {
                    if input.get(k..k + 3) == Some(b"]]>") {
                        return fail(ErrorKind::CdataEndInText, k);
                    }
                    k += 1;
                }
                Some(&b) => {
                    escaped |= check_other(input, k, b)?;
                    k += 1;
                }
            }
        }
    }
}

/// The bytes [`Reader::skim_text`] stops at: `<`, `&`, `]`, `EF`, and the
/// C0 controls other than tab and newline.
#[inline(always)]
fn text_class(v: V16) -> V16 {
    let controls = v.lt(0x09) | v.range(0x0B, 0x1F);
    v.eq(b'<') | v.eq(b'&') | v.eq(b']') | v.eq(0xEF) | controls
}
