//! Skipping the rest of an element: checked in `Full`, by structure alone
//! in `Skim`.

use super::reader::{Content, Reader, State, Step};
use super::skim;
use crate::scan::PResult;

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
            if self.step_in_content()? == Step::Start {
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
            .map_or(0, |&o| (o as usize).saturating_sub(1));
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
