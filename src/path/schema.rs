//! Tries that are not compiled: the typed view's fixed schemas
//! ([`Schema`], constant data) and one raw path read straight from its text
//! ([`OnePath`], on the caller's stack). Both are walked by the same engines
//! as a [`PathSet`](super::PathSet) (`select_xml`, `select_json`, through
//! [`Trie`]), and neither allocates.
//!
//! # Schemas
//! A schema is a tree of [`Entry`]s written as constants: a name, the table
//! slot its value goes to (the slot is the "path index" of the hits the
//! engine gives), and the entries inside it. Every entry reads like a path
//! step without a selector (the first item of its name), except an
//! [`every`](Entry::every) entry, whose own value is taken for every item
//! (so the checking pass counts the jobs) while the entries inside it are
//! read for the first item only, or for every item too when it is also
//! [`inside`](Entry::inside) (a checking pass that reads every job). [`flatten`] lays the tree out at compile time as a table of
//! [`Node`]s, breadth first, so the children of a node are consecutive.

use core::fmt;

use super::grammar::{self, Select, Step};
use super::{Cursor, Facts, Mask, Trie, MAX_NODES, MAX_PATHS, MAX_STEPS, NO_MARK};
use crate::text::Text;

// ---- schemas ---------------------------------------------------------------------

/// One entry of a schema: a name, the slot its value goes to, and (for a
/// container) the entries inside it.
#[derive(Debug)]
pub(crate) struct Entry {
    pub name: &'static str,
    pub slot: Option<usize>,
    pub children: &'static [Entry],
    /// The entry's own value is taken for every item of its name, not only
    /// the first (its children are still read in the first item only,
    /// unless `inside`).
    pub every: bool,
    /// With `every`: the children are read in every item too.
    pub inside: bool,
}

impl Entry {
    pub const fn leaf(name: &'static str, slot: usize) -> Entry {
        Entry {
            name,
            slot: Some(slot),
            children: &[],
            every: false,
            inside: false,
        }
    }

    pub const fn group(name: &'static str, children: &'static [Entry]) -> Entry {
        Entry {
            name,
            slot: None,
            children,
            every: false,
            inside: false,
        }
    }
}

/// One node of a flattened schema.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Node {
    name: &'static str,
    /// The children are nodes `first..first + count`.
    first: u16,
    count: u16,
    /// The slot of the node's own value (one bit, or none).
    ends: Mask,
    /// The slots at or below the node.
    paths: Mask,
    /// The slots below the node when it has children (its paths that go
    /// on): [`Trie::descends`] when one is alive.
    below: Mask,
    /// [`Entry::every`].
    every: bool,
    /// [`Entry::inside`].
    inside: bool,
    /// Name steps from the root (0 for the root).
    depth: u8,
    /// The node's name in a [`Trie::leads`] filter: the bit of its first
    /// byte, of its second.
    bits: [u64; 2],
    /// [`Trie::leads`] of the node when every child has a slot alive: its
    /// children's `bits`.
    leads: [u64; 2],
    /// One slot of each child: its own, or else its first. When all are
    /// alive, every child has a slot alive and the node's [`Trie::leads`]
    /// are `leads`, with no walk over the slots (the checking schema's
    /// root: `EventName`, the jobs and the workflow are always read). A
    /// schema's slots are below 64 (`Slot::paths`): in the node's padding.
    reps: u64,
}

impl Node {
    const EMPTY: Node = Node {
        name: "",
        first: 0,
        count: 0,
        ends: 0,
        paths: 0,
        below: 0,
        every: false,
        inside: false,
        depth: 0,
        bits: [!0, !0],
        leads: [!0, !0],
        reps: 0,
    };
}

/// [`Node::bits`] of a name: bit `b & 63` of its first byte, of its second;
/// a name of one byte (or none) lets every second byte (or every name)
/// through, as a [`PathSet`](super::PathSet)'s filter does.
// Called in constants only: an index out of range fails the build.
#[allow(clippy::indexing_slicing)]
const fn lead_bits(name: &[u8]) -> [u64; 2] {
    match name.len() {
        0 => [!0, !0],
        1 => [1 << (name[0] & 63), !0],
        _ => [1 << (name[0] & 63), 1 << (name[1] & 63)],
    }
}

/// Number of nodes of the schema whose root holds `entries`.
// Called in constants only: an index out of range fails the build.
#[allow(clippy::indexing_slicing)]
pub(crate) const fn size(entries: &[Entry]) -> usize {
    let mut n = entries.len();
    let mut i = 0;
    while i < entries.len() {
        n += size(entries[i].children);
        i += 1;
    }
    n
}

/// [`super::head`], in constants.
// Called in constants only: an index out of range fails the build.
#[allow(clippy::indexing_slicing)]
const fn const_head(name: &[u8]) -> u64 {
    let mut h = 0u64;
    let mut i = 0;
    while i < name.len() && i < 8 {
        h |= (name[i] as u64) << (8 * i);
        i += 1;
    }
    h
}

/// Bytes 8 to 16 of `name`, zero-padded: [`super::tail`] at compile time.
// Called in constants only.
#[allow(clippy::indexing_slicing)]
const fn const_tail(name: &[u8]) -> u64 {
    let mut h = 0u64;
    let mut i = 8;
    while i < name.len() && i < 16 {
        h |= (name[i] as u64) << (8 * (i - 8));
        i += 1;
    }
    h
}

const fn bit(slot: Option<usize>) -> Mask {
    match slot {
        Some(s) => 1 << s,
        None => 0,
    }
}

/// Lays out the schema whose root holds `entries` (and whose own value, the
/// root container, goes to `root`) as `N` = 1 + [`size`] nodes. Evaluated
/// in constants: a slot past [`MAX_PATHS`] or more nodes than [`MAX_NODES`]
/// fail the build.
// Called in constants only: an index out of range fails the build.
#[allow(clippy::indexing_slicing)]
pub(crate) const fn flatten<const N: usize>(
    root: Option<usize>,
    entries: &'static [Entry],
) -> [Node; N] {
    assert!(N <= MAX_NODES && N == 1 + size(entries), "schema size");
    let mut nodes = [Node::EMPTY; N];
    let mut inner: [&'static [Entry]; N] = [&[]; N];
    nodes[0].ends = bit(root);
    inner[0] = entries;
    let mut next = 1;
    let mut i = 0;
    while i < next {
        let children = inner[i];
        nodes[i].first = next as u16;
        nodes[i].count = children.len() as u16;
        let mut k = 0;
        while k < children.len() {
            let e = &children[k];
            if let Some(s) = e.slot {
                assert!(s < MAX_PATHS, "schema slot");
            }
            nodes[next].name = e.name;
            nodes[next].depth = nodes[i].depth + 1;
            nodes[next].bits = lead_bits(e.name.as_bytes());
            nodes[next].ends = bit(e.slot);
            nodes[next].every = e.every;
            nodes[next].inside = e.every && e.inside;
            inner[next] = e.children;
            next += 1;
            k += 1;
        }
        i += 1;
    }
    // Children come after their parent: one backward sweep sums the slots
    // (and the bits of the names).
    let mut i = N;
    while i > 0 {
        i -= 1;
        let mut paths = nodes[i].ends;
        let mut leads = [0, 0];
        let mut reps = 0;
        let mut c = nodes[i].first as usize;
        let end = c + nodes[i].count as usize;
        while c < end {
            paths |= nodes[c].paths;
            leads = [leads[0] | nodes[c].bits[0], leads[1] | nodes[c].bits[1]];
            let rep = match nodes[c].ends {
                0 => nodes[c].paths & nodes[c].paths.wrapping_neg(),
                ends => ends,
            };
            assert!(rep >> 64 == 0, "schema slot past 63");
            reps |= rep as u64;
            c += 1;
        }
        nodes[i].paths = paths;
        nodes[i].reps = reps;
        if nodes[i].count != 0 {
            nodes[i].below = paths & !nodes[i].ends;
        }
        nodes[i].leads = leads;
    }
    nodes
}

/// How deep [`Schema::ways`] goes: the children of a node this deep or
/// deeper are not filtered when some of their slots are not alive.
pub(crate) const WAYS: usize = 4;

/// [`Schema::ways`]: for slot `s` and depth `d`, the [`Trie::leads`] bits
/// of the node `d + 1` name steps down the way from the root to the node
/// whose value goes to `s` (its bits, not its id: one load less a slot).
// Called in constants only: an index out of range fails the build.
#[allow(clippy::indexing_slicing)]
pub(crate) const fn ways<const N: usize>(nodes: &[Node; N]) -> [[[u64; 2]; WAYS]; 64] {
    let mut parent = [0usize; N];
    let mut i = 0;
    while i < N {
        let mut c = nodes[i].first as usize;
        while c < nodes[i].first as usize + nodes[i].count as usize {
            parent[c] = i;
            c += 1;
        }
        i += 1;
    }
    let mut ways = [[[0u64; 2]; WAYS]; 64];
    let mut x = 1;
    while x < N {
        if nodes[x].ends != 0 {
            let s = nodes[x].ends.trailing_zeros() as usize;
            assert!(s < 64, "schema slot past 63");
            let mut a = x;
            while a != 0 {
                let d = nodes[a].depth as usize - 1;
                if d < WAYS {
                    ways[s][d] = nodes[a].bits;
                }
                a = parent[a];
            }
        }
        x += 1;
    }
    ways
}

/// A node's name as [`Schema::child_in`](Trie::child_in) compares it first:
/// its first eight bytes, zero-padded, and its length (as
/// [`PathSet`](super::PathSet) compares names).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Kid {
    head: u64,
    /// Bytes 8 to 16 of the name, zero-padded (as [`super::tail`] reads them).
    tail: u64,
    len: usize,
    /// The node's [`Node::paths`] (copied into its [`Slot`]).
    paths: Mask,
}

/// The [`Kid`] of every node of a flattened schema.
// Called in constants only: an index out of range fails the build.
#[allow(clippy::indexing_slicing)]
pub(crate) const fn kids<const N: usize>(nodes: &[Node; N]) -> [Kid; N] {
    let mut kids = [Kid {
        head: 0,
        tail: 0,
        len: 0,
        paths: 0,
    }; N];
    let mut i = 0;
    while i < N {
        let name = nodes[i].name.as_bytes();
        kids[i] = Kid {
            head: const_head(name),
            tail: const_tail(name),
            len: name.len(),
            paths: nodes[i].paths,
        };
        i += 1;
    }
    kids
}

/// The hash of the first bytes of a name, `key` (the bytes a node's
/// [`Probe::prefix`] keeps of the word at the name's start); a node's
/// [`Probe`] picks its bits.
#[inline(always)]
pub(crate) const fn hash(key: u64) -> u64 {
    key.wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// Where a node's children are in [`Schema::slots`]: `mask + 1` places
/// (two slots each) from place `at`; a name's place is bits `shift..` of
/// the [`hash`] of its first bytes, as many as the node's shortest child
/// has (up to eight), so that the place is known before the name's end is.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Probe {
    /// The bytes of the word at a name's start that are hashed.
    prefix: u64,
    at: u16,
    shift: u8,
    mask: u8,
}

/// One slot of a node's children: a child whose name falls in its place,
/// with the words compared (the first sixteen bytes of the name, masked to
/// its length).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Slot {
    head: u64,
    /// The bytes of a word that are the name's first eight (`head` is
    /// compared with the word at a name's start, masked).
    within: u64,
    /// Bytes 8 to 16 of the name, zero-padded (as [`super::tail`] reads them).
    tail: u64,
    /// The bytes of the second word that are the name's.
    beyond: u64,
    /// The child's [`Node::paths`] (a schema's slots are below 64).
    paths: u64,
    /// The child's [`Node::ends`].
    ends: u64,
    /// The child's slots below it when it has children (its paths that go
    /// on): with `ends`, its [`Facts`] for an alive set, without loading
    /// its node ([`Trie::lean_child`]).
    below: u64,
    /// The name's length; [`EMPTY_SLOT`] for a slot that holds no child,
    /// [`SHARED_SLOT`] for the second slot of a place three children or
    /// more fall in.
    len: u32,
    /// The child.
    id: u16,
}

/// The length of a slot that holds no child.
const EMPTY_SLOT: u32 = u32::MAX;
/// The length of the second slot of a place three children or more fall
/// in: they are searched in order, from the child in the first slot (the
/// first of them).
const SHARED_SLOT: u32 = u32::MAX - 1;

const NO_SLOT: Slot = Slot {
    head: 0,
    within: 0,
    tail: 0,
    beyond: 0,
    paths: 0,
    ends: 0,
    below: 0,
    len: EMPTY_SLOT,
    id: 0,
};

/// The most places of one node (a window of six bits).
const MAX_BITS: u32 = 6;

/// The bytes of a name's first word that node `nodes[i]` hashes: as many
/// as its shortest child's name has, up to eight.
// Called in constants only: an index out of range fails the build.
#[allow(clippy::indexing_slicing)]
const fn prefix<const N: usize>(nodes: &[Node; N], kids: &[Kid; N], i: usize) -> u64 {
    let n = nodes[i];
    let mut k = 8;
    let mut c = 0;
    while c < n.count as usize {
        let len = kids[n.first as usize + c].len;
        if len < k {
            k = len;
        }
        c += 1;
    }
    match k {
        8 => !0,
        _ => (1u64 << (8 * k)) - 1,
    }
}

/// How many children of `nodes[i]` share one of the `1 << bits` places of
/// the window `shift` with another child.
// Called in constants only: an index out of range fails the build.
#[allow(clippy::indexing_slicing)]
const fn clashes<const N: usize>(
    nodes: &[Node; N],
    kids: &[Kid; N],
    i: usize,
    bits: u32,
    shift: u32,
) -> u32 {
    let n = nodes[i];
    let keep = prefix(nodes, kids, i);
    let mask = (1u64 << bits) - 1;
    let mut once = 0u64;
    let mut twice = 0u64;
    let mut c = 0;
    while c < n.count as usize {
        let k = kids[n.first as usize + c];
        let bit = 1u64 << ((hash(k.head & keep) >> shift) & mask);
        twice |= once & bit;
        once |= bit;
        c += 1;
    }
    let mut shared = 0;
    let mut c = 0;
    while c < n.count as usize {
        let k = kids[n.first as usize + c];
        if twice & 1u64 << ((hash(k.head & keep) >> shift) & mask) != 0 {
            shared += 1;
        }
        c += 1;
    }
    shared
}

/// The children of `nodes[i]` that share their hashed bytes with another
/// (no window parts them).
// Called in constants only: an index out of range fails the build.
#[allow(clippy::indexing_slicing)]
const fn twins<const N: usize>(nodes: &[Node; N], kids: &[Kid; N], i: usize) -> u32 {
    let n = nodes[i];
    let keep = prefix(nodes, kids, i);
    let mut twins = 0;
    let mut c = 0;
    while c < n.count as usize {
        let mut d = 0;
        while d < n.count as usize {
            let (x, y) = (kids[n.first as usize + c], kids[n.first as usize + d]);
            if c != d && x.head & keep == y.head & keep {
                twins += 1;
                break;
            }
            d += 1;
        }
        c += 1;
    }
    twins
}

/// [`Schema::probes`]: for each node, the fewest places (at least one per
/// child, at most `1 << MAX_BITS`) and a window where no children share a
/// place but those whose hashed bytes are the same, or else the window of
/// the most places where the fewest do. Places are laid out node after
/// node; a node without children has none.
// Called in constants only: an index out of range fails the build.
#[allow(clippy::indexing_slicing)]
pub(crate) const fn probes<const N: usize>(nodes: &[Node; N], kids: &[Kid; N]) -> [Probe; N] {
    let mut probes = [Probe {
        prefix: 0,
        at: 0,
        shift: 0,
        mask: 0,
    }; N];
    let mut at = 0usize;
    let mut i = 0;
    while i < N {
        let count = nodes[i].count as usize;
        if count > 0 {
            let least = twins(nodes, kids, i);
            let mut bits = 0;
            while (1usize << bits) < count && bits < MAX_BITS {
                bits += 1;
            }
            // One child: one slot, no window.
            let mut shift = if bits == 0 { 0 } else { 64 - bits };
            let mut best = (u32::MAX, 64 - MAX_BITS);
            loop {
                let shared = clashes(nodes, kids, i, bits, shift);
                if bits == MAX_BITS && shared < best.0 {
                    best = (shared, shift);
                }
                if shared <= least {
                    break;
                }
                if shift > 0 {
                    shift -= 1;
                } else if bits < MAX_BITS {
                    bits += 1;
                    shift = 64 - bits;
                } else {
                    shift = best.1;
                    break;
                }
            }
            assert!(at < u16::MAX as usize, "schema slots");
            probes[i] = Probe {
                prefix: prefix(nodes, kids, i),
                at: at as u16,
                shift: shift as u8,
                mask: ((1u32 << bits) - 1) as u8,
            };
            at += 1 << bits;
        }
        i += 1;
    }
    probes
}

/// Number of places the [`probes`] of a schema lay out (two slots each).
// Called in constants only: an index out of range fails the build.
#[allow(clippy::indexing_slicing)]
pub(crate) const fn slot_count<const N: usize>(nodes: &[Node; N], probes: &[Probe; N]) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < N {
        if nodes[i].count > 0 {
            n += probes[i].mask as usize + 1;
        }
        i += 1;
    }
    n
}

/// [`Schema::slots`]: every node's children in the two slots of their
/// place ([`probes`]), the second child of a place in its second slot.
// Called in constants only: an index out of range fails the build.
#[allow(clippy::indexing_slicing)]
pub(crate) const fn slots<const N: usize, const S: usize>(
    nodes: &[Node; N],
    kids: &[Kid; N],
    probes: &[Probe; N],
) -> [[Slot; 2]; S] {
    let mut slots = [[NO_SLOT; 2]; S];
    let mut i = 0;
    while i < N {
        let n = nodes[i];
        let p = probes[i];
        let mut c = 0;
        while c < n.count as usize {
            let id = n.first as usize + c;
            let k = kids[id];
            assert!(k.len < SHARED_SLOT as usize, "schema name length");
            assert!(k.paths >> 64 == 0, "schema slot past 63");
            let at =
                p.at as usize + ((hash(k.head & p.prefix) >> p.shift) & p.mask as u64) as usize;
            let slot = Slot {
                head: k.head,
                within: match k.len {
                    0..=7 => (1u64 << (8 * k.len)) - 1,
                    _ => !0,
                },
                tail: k.tail,
                beyond: match k.len {
                    0..=8 => 0,
                    9..=15 => (1u64 << (8 * (k.len - 8))) - 1,
                    _ => !0,
                },
                paths: k.paths as u64,
                ends: nodes[id].ends as u64,
                below: match nodes[id].count {
                    0 => 0,
                    _ => (nodes[id].paths & !nodes[id].ends) as u64,
                },
                len: k.len as u32,
                id: id as u16,
            };
            if slots[at][0].len == EMPTY_SLOT {
                slots[at][0] = slot;
            } else if slots[at][1].len == EMPTY_SLOT {
                slots[at][1] = slot;
            } else {
                // A third child: the place is searched in order, from the first.
                slots[at][1] = Slot {
                    len: SHARED_SLOT,
                    ..NO_SLOT
                };
            }
            c += 1;
        }
        i += 1;
    }
    slots
}

/// A [`Schema`] of the entries `$entries`, whose root container's value
/// goes to slot `$root` (an `Option<usize>`), laid out in constants.
macro_rules! schema {
    ($root:expr, $entries:expr) => {{
        use $crate::path::schema as s;
        const NODES: [s::Node; 1 + s::size($entries)] = s::flatten($root, $entries);
        const KIDS: [s::Kid; 1 + s::size($entries)] = s::kids(&NODES);
        const PROBES: [s::Probe; 1 + s::size($entries)] = s::probes(&NODES, &KIDS);
        const SLOTS: [[s::Slot; 2]; s::slot_count(&NODES, &PROBES)] =
            s::slots(&NODES, &KIDS, &PROBES);
        const WAYS: [[[u64; 2]; s::WAYS]; 64] = s::ways(&NODES);
        s::Schema::<false> {
            nodes: &NODES,
            kids: &KIDS,
            probes: &PROBES,
            slots: &SLOTS,
            ways: &WAYS,
            keep: !0,
        }
    }};
}
pub(crate) use schema;

/// [`Schema::look_up`]'s two words of the name `a..b` of `input` when
/// fewer than sixteen bytes follow its start: its first eight bytes and
/// the next eight, zero-padded. Out of line (the end of an input).
#[cold]
#[inline(never)]
fn words_near_end(input: &[u8], a: usize, b: usize) -> (u64, u64) {
    let name = input.get(a..b).unwrap_or(&[]);
    (super::head(name), super::tail(name))
}

/// Node ids `0..MAX_NODES`, for [`Trie::children`] over consecutive nodes.
#[allow(clippy::indexing_slicing)] // A constant: an index out of range fails the build.
const IDS: [u16; MAX_NODES] = {
    let mut ids = [0u16; MAX_NODES];
    let mut i = 0;
    while i < MAX_NODES {
        ids[i] = i as u16;
        i += 1;
    }
    ids
};

/// A flattened schema (constant data): node `0` is the root. `CUT`: the
/// slots kept are a few of those below a node, and the names of the others
/// are filtered out by their first two bytes ([`Trie::leads`]) before they
/// are looked up; without it nothing is filtered, which costs less where
/// every child is looked up anyway (a schema names what the documents hold).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Schema<const CUT: bool = false> {
    pub nodes: &'static [Node],
    /// The nodes' names, as compared first.
    pub kids: &'static [Kid],
    /// Where each node's children are in `slots` ([`probes`]), by node id.
    pub probes: &'static [Probe],
    /// The children of every node by the place of their name ([`slots`]):
    /// a name is looked up in the two slots of one place, whose address
    /// depends on the name's first bytes only.
    pub slots: &'static [[Slot; 2]],
    /// The bits of the child of a node that slot `s` is under, by the
    /// node's depth ([`ways`]): the children the alive slots go through.
    pub ways: &'static [[[u64; 2]; WAYS]; 64],
    /// The slots read: the others start dead at the root, so the engine
    /// never looks their nodes up nor records them, as it skips the names
    /// no path asks for. All of them in a `schema!`.
    pub keep: Mask,
}

impl<const CUT: bool> Schema<CUT> {
    /// The same schema, reading only the slots in `keep` (and those of
    /// `self.keep`).
    #[inline]
    pub(crate) fn keeping(self, keep: Mask) -> Schema<CUT> {
        Schema {
            keep: self.keep & keep,
            ..self
        }
    }

    /// The same schema, filtering the names of the children no alive slot
    /// goes to ([`Schema`]'s `CUT`).
    #[inline]
    pub(crate) fn cut(self) -> Schema<true> {
        // (`..self` cannot change the type parameter.)
        Schema {
            nodes: self.nodes,
            kids: self.kids,
            probes: self.probes,
            slots: self.slots,
            ways: self.ways,
            keep: self.keep,
        }
    }

    /// [`Trie::leads`] of node `n` when some slots below it are not
    /// alive: the bits of the children the alive slots go through, one
    /// slot at a time (a child's bits twice change nothing). Out of line:
    /// the engines inline `leads` in their recursion. A pair, not an
    /// array: returned in two registers, not through memory (callgrind).
    #[inline(never)]
    fn alive_leads(&self, n: &Node, alive: Mask) -> (u64, u64) {
        let depth = usize::from(n.depth);
        if depth >= WAYS {
            // Deeper than the table: no filter.
            return (!0, !0);
        }
        // (A schema's slots are below 64: `Slot::paths`.)
        let mut m = (alive & n.paths & !n.ends) as u64;
        let mut leads = (0, 0);
        while m != 0 {
            let s = m.trailing_zeros() as usize;
            let bits = self.ways.get(s).and_then(|w| w.get(depth));
            let [a, b] = bits.copied().unwrap_or([!0, !0]);
            leads = (leads.0 | a, leads.1 | b);
            m &= m - 1;
        }
        leads
    }

    /// [`Trie::child_in`] for a name whose place three children or more
    /// share, from the first of them, `from` (kept out of line: the engines
    /// inline the look-up in their loops).
    #[cold]
    #[inline(never)]
    fn shared(&self, cur: Cursor, from: u16, input: &[u8], a: usize, b: usize) -> Option<u16> {
        let name = input.get(a..b).unwrap_or(&[]);
        let h = super::head(name);
        let n = self.node(cur.node);
        let first = usize::from(n.first);
        let kids = self.kids.get(first..first + usize::from(n.count))?;
        // An ordered search from the first child of the place. Children may share their head and length: then the rest of
        // the name decides, and a child whose rest differs sends the search
        // on past it.
        let mut from = usize::from(from).saturating_sub(first);
        loop {
            let k = from
                + kids
                    .get(from..)?
                    .iter()
                    .position(|k| k.head == h && k.len == name.len())?;
            let id = first + k;
            let c = self.nodes.get(id)?;
            // Up to 16 bytes, the two words are the name (no `memcmp`).
            let same = match name.len() {
                0..=8 => true,
                9..=16 => kids.get(k).is_some_and(|kid| kid.tail == super::tail(name)),
                _ => c.name.as_bytes().get(8..) == name.get(8..),
            };
            if same {
                return (c.paths & cur.alive != 0).then(|| u16::try_from(id).ok())?;
            }
            from = k + 1;
        }
    }

    /// [`Trie::child_in`], the child handed to `found` when its slot holds
    /// it, or its id to `shared` when it is found by [`shared`](Self::shared).
    #[inline(always)]
    fn look_up<T>(
        &self,
        cur: Cursor,
        input: &[u8],
        a: usize,
        b: usize,
        found: impl FnOnce(&Slot) -> T,
        shared: impl FnOnce(u16) -> T,
    ) -> Option<T> {
        // The place comes from the first bytes of the name, the bytes every
        // child's name has: it does not wait for the name's end, and a
        // shorter name falls anywhere (its length is not a child's).
        let p = *self.probes.get(usize::from(cur.node))?;
        let len = b.wrapping_sub(a);
        // The two words at the name's start (its first sixteen bytes and
        // what follows them), read before its end is known.
        let (word, next) = match input.get(a..).and_then(<[u8]>::first_chunk::<16>) {
            Some(w) => {
                let w = u128::from_le_bytes(*w);
                (w as u64, (w >> 64) as u64)
            }
            None => words_near_end(input, a, b),
        };
        let at =
            usize::from(p.at) + ((hash(word & p.prefix) >> p.shift) & u64::from(p.mask)) as usize;
        // Two slots at each place: the second holds a second child that
        // falls there (most places have none), or marks more of them.
        let pair = self.slots.get(at)?;
        for slot in pair {
            // The same length and the same two words (as far as the child's
            // name goes) are the same name up to 16 bytes. (Two children may
            // share their first sixteen bytes and length: then the rest of
            // the name decides.)
            if word & slot.within == slot.head
                && next & slot.beyond == slot.tail
                && slot.len as usize == len
                && (len <= 16 || self.same_past_16(slot.id, input, a, b))
            {
                // (A schema's slots are below 64: `Slot::paths`.)
                return (slot.paths & cur.alive as u64 != 0).then(|| found(slot));
            }
        }
        let [first, second] = pair;
        if second.len != SHARED_SLOT {
            return None;
        }
        self.shared(cur, first.id, input, a, b).map(shared)
    }

    /// Whether the name `a..b` of `input`, longer than sixteen bytes, is
    /// that of node `id` past its sixteenth byte. Out of line, as are all
    /// uses of the name's slice: the look-up reads words, and its slice is
    /// not cut for every name (callgrind).
    #[cold]
    #[inline(never)]
    fn same_past_16(&self, id: u16, input: &[u8], a: usize, b: usize) -> bool {
        let name = input.get(a..b).unwrap_or(&[]);
        self.node(id).name.as_bytes().get(16..) == name.get(16..)
    }

    #[inline(always)]
    fn node(&self, id: u16) -> Node {
        self.nodes
            .get(usize::from(id))
            .copied()
            .unwrap_or(Node::EMPTY)
    }
}

impl<const CUT: bool> Trie for Schema<CUT> {
    #[inline]
    fn root(&self) -> Cursor {
        Cursor {
            node: 0,
            alive: self.node(0).paths & self.keep,
        }
    }

    /// Nothing: a schema reads no item of a top-level array.
    #[inline]
    fn around_root(&self) -> Cursor {
        Cursor { node: 0, alive: 0 }
    }

    #[inline]
    fn all(&self) -> Mask {
        self.node(0).paths & self.keep
    }

    /// None: a schema reads its whole item (nothing is settled early).
    #[inline]
    fn single(&self) -> Mask {
        0
    }

    #[inline]
    fn lead(&self) -> Mask {
        0
    }

    #[inline]
    fn mark(&self) -> u16 {
        NO_MARK
    }

    #[inline]
    fn marker(&self) -> usize {
        MAX_PATHS
    }

    #[inline(always)]
    fn child_in(&self, cur: Cursor, input: &[u8], a: usize, b: usize) -> Option<u16> {
        self.look_up(cur, input, a, b, |slot| slot.id, |id| id)
    }

    fn child_decoded(&self, cur: Cursor, name: Text<'_>) -> Option<u16> {
        let n = self.node(cur.node);
        let first = usize::from(n.first);
        let kids = self.nodes.get(first..first + usize::from(n.count))?;
        let k = kids
            .iter()
            .position(|c| c.paths & cur.alive != 0 && name.eq_str(c.name))?;
        u16::try_from(first + k).ok()
    }

    #[inline]
    fn select(&self, cur: Cursor, child: u16, index: u32) -> Option<Cursor> {
        let n = self.node(child);
        let sel = match (index, n.every) {
            (0, _) => n.paths,
            (_, true) if n.inside => n.paths,
            (_, true) => n.ends,
            (_, false) => 0,
        };
        let alive = cur.alive & sel;
        (alive != 0).then_some(Cursor { node: child, alive })
    }

    #[inline]
    fn ends(&self, cur: Cursor) -> Mask {
        self.node(cur.node).ends & cur.alive
    }

    #[inline]
    fn descends(&self, cur: Cursor) -> bool {
        self.node(cur.node).below & cur.alive != 0
    }

    #[inline]
    fn has_attr(&self, _: Cursor) -> bool {
        false
    }

    fn attr(&self, _: Cursor, _: &[u8]) -> Mask {
        0
    }

    #[inline]
    fn children(&self, cur: Cursor) -> &[u16] {
        let n = self.node(cur.node);
        let first = usize::from(n.first);
        IDS.get(first..first + usize::from(n.count)).unwrap_or(&[])
    }

    #[inline]
    fn settled(&self, _: Cursor) -> Mask {
        0
    }

    /// Always: a schema has no leading selector and no record mark, and
    /// takes the first item of every name but those of an
    /// [`every`](Entry::every) entry, whose later items [`Matcher::item`]
    /// selects (a lean run sends every item but a node's first there). Every
    /// slot through a node is alive wherever its first item is entered (the
    /// slots kept), so its cursor and facts come with its name's slot.
    ///
    /// [`Matcher::item`]: super::Matcher::item
    #[inline(always)]
    fn lean(&self) -> bool {
        true
    }

    /// [`child_in`](Trie::child_in), then [`select`](Trie::select) of the
    /// first item (which keeps every alive slot below the child) and its
    /// [`facts`](Trie::facts), read from the child's slot.
    #[inline(always)]
    fn lean_child(&self, cur: Cursor, input: &[u8], a: usize, b: usize) -> Option<(Cursor, Facts)> {
        let first = |node: u16, paths: Mask| Cursor {
            node,
            alive: cur.alive & paths,
        };
        self.look_up(
            cur,
            input,
            a,
            b,
            |slot| {
                let cc = first(slot.id, Mask::from(slot.paths));
                let facts = Facts {
                    ends: Mask::from(slot.ends) & cc.alive,
                    settled: 0,
                    descends: Mask::from(slot.below) & cc.alive != 0,
                    has_attr: false,
                };
                (cc, facts)
            },
            |id| {
                let cc = first(id, self.node(id).paths);
                (cc, self.facts(cc))
            },
        )
    }

    /// Those of the cursor: a later item of an [`every`](Entry::every)
    /// entry keeps only its own slot unless [`inside`](Entry::inside).
    #[inline(always)]
    fn later_facts(&self, cc: Cursor, _: Facts) -> Facts {
        self.facts(cc)
    }

    /// Without `CUT`, nothing is filtered. With it, the bits of the names
    /// of the children the alive slots go through: the node's own table
    /// when a slot of each child is alive ([`Node::reps`]).
    #[inline(always)]
    fn leads(&self, cur: Cursor) -> [u64; 2] {
        if !CUT {
            return [!0, !0];
        }
        let Some(n) = self.nodes.get(usize::from(cur.node)) else {
            return [!0, !0];
        };
        if Mask::from(n.reps) & !cur.alive == 0 {
            return n.leads;
        }
        let (a, b) = self.alive_leads(n, cur.alive);
        [a, b]
    }

    /// Never: nothing is settled before the end (no [`single`](Trie::single)
    /// or [`settled`](Trie::settled) paths, no leading selector).
    #[inline(always)]
    fn settles(&self) -> bool {
        false
    }

    /// Only the items of a `list` entry (jobs, tasks) count against
    /// [`Limits::max_items`](crate::Limits::max_items).
    #[inline]
    fn counted(&self, child: u16) -> bool {
        self.node(child).every
    }
}

// ---- one raw path -------------------------------------------------------------------

/// One raw path (syntax: crate docs, *Paths*) as a trie, its steps read from
/// the text onto the stack: node `k` is the `k`th name step, node `0` the
/// root. The path is path `0`. Nothing is settled early: whoever runs it
/// stops at the first value (its sink says "no room").
pub(crate) struct OnePath<'p> {
    lead: Option<Select>,
    /// The name steps, `steps[k - 1]` for node `k`.
    steps: [Step<'p>; MAX_STEPS],
    /// Number of name steps.
    len: usize,
    /// A final `@name` step.
    attr: Option<Step<'p>>,
}

const NO_STEP: Step<'static> = Step {
    name: "",
    escaped: false,
    attr: false,
    select: None,
};

impl<'p> OnePath<'p> {
    /// The trie of `path`, which must have passed [`grammar::check`].
    pub(crate) fn new(path: &'p str) -> OnePath<'p> {
        let mut steps = grammar::steps(path);
        let mut one = OnePath {
            lead: steps.lead(),
            steps: [NO_STEP; MAX_STEPS],
            len: 0,
            attr: None,
        };
        for step in steps.flatten() {
            if step.attr {
                one.attr = Some(step);
            } else if let Some(s) = one.steps.get_mut(one.len) {
                *s = step;
                one.len += 1;
            }
        }
        one
    }

    /// The step of node `id` (`None` for the root).
    #[inline]
    fn step(&self, id: u16) -> Option<&Step<'p>> {
        self.steps.get(usize::from(id).checked_sub(1)?)
    }

    /// The node under `cur` that a name step could go to next.
    #[inline]
    fn next(&self, cur: Cursor) -> Option<u16> {
        let next = cur.node.checked_add(1)?;
        (cur.alive != 0 && usize::from(cur.node) < self.len).then_some(next)
    }
}

/// Whether the name `name` (as written in the document, no escapes) is that
/// of a path step (whose text may hold `\` escapes, each before one ASCII
/// character).
fn same_name(step: &Step<'_>, name: &[u8]) -> bool {
    if !step.escaped {
        return step.name.as_bytes() == name;
    }
    let mut want = step.name.bytes();
    let mut have = name.iter();
    loop {
        let w = match want.next() {
            Some(b'\\') => want.next(),
            w => w,
        };
        match (w, have.next()) {
            (None, None) => return true,
            (Some(a), Some(&b)) if a == b => {}
            _ => return false,
        }
    }
}

/// A `fmt::Write` that compares what is written with the unescaped name of
/// a step.
struct Compare<I> {
    want: I,
}

impl<I: Iterator<Item = char>> fmt::Write for Compare<I> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for c in s.chars() {
            if self.want.next() != Some(c) {
                return Err(fmt::Error);
            }
        }
        Ok(())
    }
}

/// Whether the decoded name `name` is that of `step`.
fn same_decoded(step: &Step<'_>, name: Text<'_>) -> bool {
    if !step.escaped {
        return name.eq_str(step.name);
    }
    let mut chars = step.name.chars();
    let want = core::iter::from_fn(move || match chars.next()? {
        '\\' => chars.next(),
        c => Some(c),
    });
    let mut cmp = Compare { want };
    name.write_to(&mut cmp).is_ok() && cmp.want.next().is_none()
}

impl Trie for OnePath<'_> {
    #[inline]
    fn root(&self) -> Cursor {
        Cursor {
            node: 0,
            alive: Mask::from(self.lead.is_none()),
        }
    }

    #[inline]
    fn around_root(&self) -> Cursor {
        Cursor { node: 0, alive: 1 }
    }

    #[inline]
    fn all(&self) -> Mask {
        1
    }

    #[inline]
    fn single(&self) -> Mask {
        0
    }

    #[inline]
    fn lead(&self) -> Mask {
        Mask::from(self.lead.is_some())
    }

    #[inline]
    fn mark(&self) -> u16 {
        NO_MARK
    }

    #[inline]
    fn marker(&self) -> usize {
        1
    }

    fn child_in(&self, cur: Cursor, input: &[u8], a: usize, b: usize) -> Option<u16> {
        let next = self.next(cur)?;
        let name = input.get(a..b)?;
        same_name(self.step(next)?, name).then_some(next)
    }

    fn child_decoded(&self, cur: Cursor, name: Text<'_>) -> Option<u16> {
        let next = self.next(cur)?;
        same_decoded(self.step(next)?, name).then_some(next)
    }

    fn select(&self, cur: Cursor, child: u16, index: u32) -> Option<Cursor> {
        let picks = match self.step(child) {
            Some(step) => step.picks(u64::from(index)),
            // The items of a top-level array: no leading selector reads the first.
            None => match self.lead.unwrap_or(Select::Index(0)) {
                Select::All => true,
                Select::Index(k) => index == k,
            },
        };
        (picks && cur.alive != 0).then_some(Cursor {
            node: child,
            alive: cur.alive,
        })
    }

    #[inline]
    fn ends(&self, cur: Cursor) -> Mask {
        let last = usize::from(cur.node) == self.len && self.attr.is_none();
        if last {
            cur.alive
        } else {
            0
        }
    }

    #[inline]
    fn descends(&self, cur: Cursor) -> bool {
        cur.alive != 0 && usize::from(cur.node) < self.len
    }

    #[inline]
    fn has_attr(&self, cur: Cursor) -> bool {
        self.attr.is_some() && usize::from(cur.node) == self.len
    }

    fn attr(&self, cur: Cursor, name: &[u8]) -> Mask {
        match &self.attr {
            Some(step) if self.has_attr(cur) && same_name(step, name) => cur.alive,
            _ => 0,
        }
    }

    fn children(&self, cur: Cursor) -> &[u16] {
        let first = usize::from(cur.node) + 1;
        match usize::from(cur.node) < self.len {
            true => IDS.get(first..first + 1).unwrap_or(&[]),
            false => &[],
        }
    }

    #[inline]
    fn settled(&self, _: Cursor) -> Mask {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_names_compare_unescaped() {
        let one = OnePath::new(r"a\.b.c");
        let step = one.step(1).unwrap();
        assert!(step.escaped);
        assert!(same_name(step, b"a.b"));
        assert!(!same_name(step, b"a.bc") && !same_name(step, br"a\.b"));
        assert!(same_decoded(
            step,
            Text::new(r"a\u002eb", crate::text::Escape::Json)
        ));
        assert!(!same_decoded(step, Text::plain("a.bc")));
    }

    const TREE: &[Entry] = &[
        Entry::leaf("a", 0),
        Entry::group("g", &[Entry::leaf("x", 1), Entry::leaf("y", 2)]),
        Entry {
            name: "l",
            slot: Some(3),
            children: &[Entry::leaf("z", 4)],
            every: true,
            inside: false,
        },
    ];
    #[test]
    fn flatten_lays_children_out_together() {
        let s = schema!(Some(5), TREE);
        let root = s.root();
        assert_eq!(root.alive, 0b11_1111);
        let g = s.child_in(root, b"g", 0, 1).unwrap();
        let x = s
            .child_in(
                Cursor {
                    node: g,
                    alive: root.alive,
                },
                b"x",
                0,
                1,
            )
            .unwrap();
        assert_eq!(s.node(x).ends, 0b10);
        assert_eq!(s.node(g).paths, 0b110);
        let l = s.child_in(root, b"l", 0, 1).unwrap();
        // Every item of `l` is taken; only the first is read inside.
        let second = s.select(root, l, 1).unwrap();
        assert!(!s.descends(second) && s.ends(second) == 0b1000);
        assert!(s.descends(s.select(root, l, 0).unwrap()));
        assert_eq!(s.select(root, g, 1), None);
        assert!(s.counted(l) && !s.counted(g));
    }

    /// Groups down to below the depth [`ways`] covers (`a.b.c.d.e`), a
    /// node with a value and children (`l`), siblings at every depth.
    const DEEP: &[Entry] = &[
        Entry::group(
            "a",
            &[
                Entry::group(
                    "b",
                    &[
                        Entry::group(
                            "c",
                            &[Entry::group(
                                "d",
                                &[Entry::leaf("e", 0), Entry::leaf("f", 1)],
                            )],
                        ),
                        Entry::leaf("g", 2),
                    ],
                ),
                Entry::leaf("h", 3),
            ],
        ),
        Entry::leaf("i", 4),
        Entry {
            name: "l",
            slot: Some(5),
            children: &[Entry::leaf("z", 6), Entry::leaf("y", 7)],
            every: true,
            inside: false,
        },
    ];

    /// [`ways`] holds each slot's way down by the bits of its nodes: the
    /// leads of a node under any alive slots are the bits of the children
    /// those slots go through (found here from the children themselves),
    /// and no filter below the depth the table covers.
    #[test]
    fn alive_leads_are_the_bits_of_the_children_alive_slots_go_through() {
        let s = schema!(None, DEEP);
        let mut deep = 0;
        for n in s.nodes {
            for alive in 0..Mask::from(1u8) << 8 {
                let want = if usize::from(n.depth) >= WAYS {
                    deep += 1;
                    [!0, !0]
                } else {
                    let kids = s
                        .nodes
                        .get(usize::from(n.first)..usize::from(n.first + n.count));
                    let through = alive & !n.ends;
                    kids.unwrap()
                        .iter()
                        .filter(|c| c.paths & through != 0)
                        .fold([0, 0], |[a, b], c| [a | c.bits[0], b | c.bits[1]])
                };
                let (a, b) = s.alive_leads(n, alive);
                assert_eq!([a, b], want, "{} {alive:#b}", n.name);
            }
        }
        assert!(deep > 0, "no node below the table");
    }

    const WIDE: &[Entry] = &[
        Entry::leaf("Code", 0),
        Entry::leaf("Message", 1),
        Entry::leaf("JobId", 2),
        Entry::leaf("Tag", 3),
        Entry::leaf("State", 4),
        Entry::leaf("CreationTime", 5),
        Entry::leaf("StartTime", 6),
        Entry::leaf("EndTime", 7),
        Entry::leaf("QueueId", 8),
        Entry::leaf("Input", 9),
        Entry::leaf("Operation", 10),
        Entry::leaf("Workflow", 11),
        Entry::leaf("AITranslateResultLonger", 12),
        Entry::leaf("AITranslateResultLongest", 13),
    ];

    #[test]
    fn every_child_is_found_by_its_slot() {
        let s = schema!(None, WIDE);
        let root = s.root();
        for (k, e) in WIDE.iter().enumerate() {
            let c = s.child_in(root, e.name.as_bytes(), 0, e.name.len());
            assert_eq!(c.map(|c| s.node(c).ends), Some(1 << k), "{}", e.name);
            // The same name read out of a longer input.
            let mut input = [b'>'; 40];
            input[1..1 + e.name.len()].copy_from_slice(e.name.as_bytes());
            let c = s.child_in(root, &input, 1, 1 + e.name.len());
            assert_eq!(c.map(|c| s.node(c).ends), Some(1 << k), "{}", e.name);
        }
        for name in [
            "code",
            "Cod",
            "Codes",
            "JobID",
            "",
            "Operations",
            "AITranslateResultLonges",
            "AITranslateResultLongerX",
            "BITranslateResultLonger",
        ] {
            assert_eq!(
                s.child_in(root, name.as_bytes(), 0, name.len()),
                None,
                "{name}"
            );
        }
        // A dead child is not found; the others still are.
        let s = s.keeping(!(1 << 2));
        let root = s.root();
        assert_eq!(s.child_in(root, b"JobId", 0, 5), None);
        assert!(s.child_in(root, b"State", 0, 5).is_some());
    }

    /// Names of sixteen bytes and more that share their first sixteen,
    /// three children in one place, and a name at the very end of the input
    /// (fewer than sixteen bytes after its start).
    const LONG: &[Entry] = &[
        Entry::leaf("abcdefghijklmnop", 0),
        Entry::leaf("abcdefghijklmnopQ", 1),
        Entry::leaf("abcdefghijklmnopR", 2),
        Entry::leaf("abcdefghijklmno", 3),
    ];
    #[test]
    fn long_names_and_crowded_places_are_told_apart() {
        let s = schema!(None, LONG);
        let root = s.root();
        for (k, e) in LONG.iter().enumerate() {
            for (before, after) in [("", ""), ("<", "> and more"), ("\"", "\": 1}")] {
                let input = alloc::format!("{before}{}{after}", e.name);
                let (a, b) = (before.len(), before.len() + e.name.len());
                let c = s.child_in(root, input.as_bytes(), a, b);
                assert_eq!(c.map(|c| s.node(c).ends), Some(1 << k), "{input}");
            }
        }
        for name in [
            "abcdefghijklmnopS",
            "abcdefghijklmnopQR",
            "abcdefghijklmn",
            "abcdefghijklmnoX",
            "abcdefghijklmnoPQ",
            "a",
        ] {
            for after in ["", "> and more"] {
                let input = alloc::format!("{name}{after}");
                assert_eq!(
                    s.child_in(root, input.as_bytes(), 0, name.len()),
                    None,
                    "{input}"
                );
            }
        }
    }

    #[test]
    fn slots_left_out_are_never_looked_up() {
        // Keep `a` (0), `y` (2) and `l` (3): `x` (1), `z` (4) and the root (5) start dead.
        let s = schema!(Some(5), TREE).keeping(0b1101);
        let root = s.root();
        assert_eq!((root.alive, s.all()), (0b1101, 0b1101));
        assert_eq!(s.ends(root), 0);
        let g = s.child_in(root, b"g", 0, 1).unwrap();
        let gc = Cursor {
            node: g,
            alive: root.alive,
        };
        assert_eq!(s.child_in(gc, b"x", 0, 1), None);
        assert!(s.child_in(gc, b"y", 0, 1).is_some());
        let l = s
            .select(root, s.child_in(root, b"l", 0, 1).unwrap(), 0)
            .unwrap();
        // `l`'s own value is kept, nothing inside it is read.
        assert!(s.ends(l) == 0b1000 && !s.descends(l));
        // A subtree with no slot kept is not entered at all.
        let none = schema!(Some(5), TREE).keeping(0b1);
        assert_eq!(none.child_in(none.root(), b"g", 0, 1), None);
        assert_eq!(none.child_in(none.root(), b"l", 0, 1), None);
    }

    /// Children whose first eight bytes and length are the same are told
    /// apart by the rest of their names.
    const TWINS: &[Entry] = &[
        Entry::leaf("abcdefghX", 0),
        Entry::leaf("abcdefghY", 1),
        Entry::leaf("abcdefgh", 2),
        Entry::leaf("abcdefghXY", 3),
        Entry::group(
            "g",
            &[
                Entry::leaf("x", 4),
                Entry::leaf("y", 5),
                Entry::leaf("abcdefghijklmnopqrs", 6),
                Entry::leaf("abcdefghijkl", 7),
            ],
        ),
    ];
    #[test]
    fn children_sharing_a_head_are_told_apart() {
        let s = schema!(None, TWINS);
        let root = s.root();
        let g = s.child_in(root, b"g", 0, 1).unwrap();
        let gc = Cursor {
            node: g,
            alive: root.alive,
        };
        for (name, slot) in [
            ("x", 4),
            ("y", 5),
            ("abcdefghijklmnopqrs", 6),
            ("abcdefghijkl", 7),
        ] {
            // Alone, and inside a longer input (the words read past the name).
            for (before, after) in [("", ""), ("<", "> more input here")] {
                let input = alloc::format!("{before}{name}{after}");
                let (a, b) = (before.len(), before.len() + name.len());
                let c = s.child_in(gc, input.as_bytes(), a, b).unwrap();
                assert_eq!(s.node(c).ends, 1 << slot, "{input}");
            }
        }
        for name in [
            "abcdefghijklmnopqr",
            "abcdefghijklmnopqrX",
            "abcdefghijkXmnopqrs",
            "abcdefghijkX",
            "abcdefghijk",
            "abcdefghijklm",
        ] {
            let input = alloc::format!("<{name}> more input here");
            assert_eq!(
                s.child_in(gc, input.as_bytes(), 1, 1 + name.len()),
                None,
                "{name}"
            );
        }
        for (name, slot) in [
            ("abcdefghX", 0),
            ("abcdefghY", 1),
            ("abcdefgh", 2),
            ("abcdefghXY", 3),
        ] {
            let c = s.child_in(root, name.as_bytes(), 0, name.len()).unwrap();
            assert_eq!(s.node(c).ends, 1 << slot, "{name}");
        }
        // Names that hash to a child's slot, or share its head, are not it.
        for name in ["", "z", "xx", "g\0", "abcdefghZ", "abcdefg", "abcdefghXYZ"] {
            assert_eq!(s.child_in(root, name.as_bytes(), 0, name.len()), None);
            assert_eq!(s.child_in(gc, name.as_bytes(), 0, name.len()), None);
        }
        let mut k = 0u8;
        while k < 255 {
            let name = [k];
            let hit = s.child_in(gc, &name, 0, 1).is_some();
            assert_eq!(hit, k == b'x' || k == b'y', "{k}");
            k += 1;
        }
    }

    /// The lean route gives what the general one does: at every node of a
    /// schema (an `every` entry, groups, long names, twins, crowded
    /// places), with every slot kept or some, for the name of every node
    /// and near misses, alone or inside a longer input, `lean_child` is
    /// `child_in`, then `select` of the first item, then its `facts`; and
    /// the filter of a cut schema ([`Trie::leads`]) lets that child's name
    /// through.
    #[test]
    fn lean_children_are_the_general_routes() {
        let key = |f: Facts| (f.ends, f.settled, f.descends, f.has_attr);
        let schemas = [
            schema!(Some(5), TREE),
            schema!(None, WIDE),
            schema!(None, LONG),
            schema!(None, TWINS),
        ];
        for full in schemas {
            let mut names: alloc::vec::Vec<alloc::string::String> = alloc::vec::Vec::new();
            for n in full.nodes {
                let name = n.name;
                names.push(name.into());
                names.push(alloc::format!("{name}X"));
                names.push(alloc::format!("X{name}"));
                if let Some(shorter) = name.get(..name.len().saturating_sub(1)) {
                    names.push(shorter.into());
                }
            }
            for keep in [!0, 0b1, 0b10, 0b101, 0b1010, 0b11_0000, 0b1101, 0] {
                let s = full.keeping(keep);
                for id in 0..full.nodes.len() as u16 {
                    let paths = s.node(id).paths & s.keep;
                    for alive in [paths, paths & 0b0101_0101, paths & !1] {
                        let cur = Cursor { node: id, alive };
                        for name in &names {
                            for (before, after) in [("", ""), ("<", "> and more input")] {
                                let input = alloc::format!("{before}{name}{after}");
                                let (a, b) = (before.len(), before.len() + name.len());
                                let general = s
                                    .child_in(cur, input.as_bytes(), a, b)
                                    .and_then(|c| s.select(cur, c, 0))
                                    .map(|cc| (cc, key(s.facts(cc))));
                                let lean = s
                                    .lean_child(cur, input.as_bytes(), a, b)
                                    .map(|(cc, f)| (cc, key(f)));
                                assert_eq!(lean, general, "{id} {alive:b} {input}");
                                // The filter of a cut schema lets every
                                // child found through, where the engines
                                // look children up.
                                if !s.descends(cur) {
                                    continue;
                                }
                                let [l1, l2] = s.cut().leads(cur);
                                let b1 = name.as_bytes().first().copied().unwrap_or(0);
                                let b2 = name.as_bytes().get(1).copied().unwrap_or(0);
                                let passes = (l1 >> (b1 & 63)) & (l2 >> (b2 & 63)) & 1 != 0;
                                assert!(passes || general.is_none(), "{id} {alive:b} {name}");
                                if keep == !0 && alive == paths {
                                    assert_eq!([l1, l2], s.node(id).leads);
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
