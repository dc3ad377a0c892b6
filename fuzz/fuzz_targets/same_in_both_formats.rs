//! Property (`properties::same_in_both_formats`): a random callback-shaped tree
//! (names from callbacks and awkward ones such as `x.y`, `ns:z`, `中文`;
//! nesting; repeated items, adjacent or not; one-item lists as a bare JSON
//! value or a one-item array; strings with characters that need escaping;
//! number and boolean literals), rendered as XML and as JSON with each
//! character escaped one of several ways (entities, decimal and hexadecimal
//! character references, CDATA, comments and PIs inside text; `\uXXXX` with
//! surrogate pairs, short escapes, escaped keys; an optional `{"Response": …}`
//! wrapper), is accepted in both formats, and every path (explicit indices to
//! every item, and all-`#` lists) extracts identical decoded values from both,
//! equal to the tree's own, in `Full` and `Skim` alike.
#![no_main]

use wanxiang_properties as properties;

use arbitrary::{Arbitrary, Result, Unstructured};
use properties::{Item, Member, Tree, NAMES};

/// The fuzzer's input: a tree, built from the raw bytes by `arbitrary`.
#[derive(Debug)]
struct Input(Tree);

/// Bounds that keep one input cheap: nesting, members per object, items per
/// member, and items in the whole tree.
const MAX_DEPTH: u32 = 5;
const BUDGET: u32 = 40;
const MAX_MEMBERS: u32 = 5;
const MAX_ITEMS: u32 = 4;

fn members(u: &mut Unstructured<'_>, depth: u32, budget: &mut u32) -> Result<Vec<Member>> {
    let n = u.int_in_range(0..=MAX_MEMBERS)?;
    let mut out = Vec::new();
    for _ in 0..n {
        let name = u.choose_index(NAMES.len())?;
        let k = u.int_in_range(1..=MAX_ITEMS)?;
        let mut items = Vec::new();
        for _ in 0..k {
            if *budget == 0 {
                break;
            }
            *budget -= 1;
            items.push(item(u, depth, budget)?);
        }
        out.push(Member {
            name,
            array: u.arbitrary()?,
            escape_key: u.ratio(1, 8)?,
            items,
        });
    }
    Ok(out)
}

fn item(u: &mut Unstructured<'_>, depth: u32, budget: &mut u32) -> Result<Item> {
    Ok(match u.int_in_range(0..=9u8)? {
        0..=4 => Item::Text(u.arbitrary::<String>()?, u.arbitrary()?),
        5 => Item::Literal(match u.int_in_range(0..=3u8)? {
            0 => u.arbitrary::<i64>()?.to_string(),
            1 => {
                let f: f64 = u.arbitrary()?;
                if f.is_finite() {
                    // `{:?}` keeps an exponent for big and tiny values: `1e300`, `5e-324`.
                    format!("{f:?}")
                } else {
                    "0.5".into()
                }
            }
            2 => "true".into(),
            _ => "false".into(),
        }),
        _ if depth < MAX_DEPTH => Item::Object(members(u, depth + 1, budget)?),
        _ => Item::Text(u.arbitrary::<String>()?, 0),
    })
}

impl<'a> Arbitrary<'a> for Input {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(Input(Tree {
            members: members(u, 0, &mut { BUDGET })?,
            root: u.choose_index(NAMES.len() + 1)?,
            wrap: u.arbitrary()?,
            pretty: u.arbitrary()?,
        }))
    }
}

libfuzzer_sys::fuzz_target!(|input: Input| properties::same_in_both_formats(&input.0));
