use super::*;
use crate::config::{Options, Validation};
use crate::ErrorKind;
use alloc::string::String;
use alloc::vec::Vec;

fn events(input: &[u8]) -> Result<Vec<String>, (ErrorKind, usize)> {
    let mut r = Reader::new(input).map_err(|e| (e.kind(), e.offset()))?;
    let mut out = Vec::new();
    loop {
        let ev = r.next().map_err(|e| (e.kind(), e.offset()))?;
        let name = |t: &Tag<'_>| String::from(t.name_str().unwrap());
        out.push(match ev {
            Event::Start(t) => alloc::format!("<{}>", name(&t)),
            Event::Empty(t) => alloc::format!("<{}/>", name(&t)),
            Event::End(t) => alloc::format!("</{}>", name(&t)),
            Event::Text(t) => alloc::format!("{t}"),
            Event::CData(t) => alloc::format!("[{t}]"),
            Event::Eof => break,
        });
    }
    Ok(out)
}

#[test]
fn events_in_order() {
    let doc = b"\xEF\xBB\xBF<?xml version='1.0' encoding=\"utf-8\" standalone='yes'?>\r\n\
        <!-- c --><?pi x?><a x='1' y=\"&lt;\">t&amp;<b/><![CDATA[<x>]]><c>u</c></a>\n<!-- end -->";
    assert_eq!(
        events(doc).unwrap(),
        ["<a>", "t&", "<b/>", "[<x>]", "<c>", "u", "</c>", "</a>"]
    );
}

#[test]
fn attributes_are_iterated_decoded() {
    let mut r = Reader::new(b"<a x='1' y = \"a&amp;b\" z='p\tq'/>").unwrap();
    let Event::Empty(t) = r.next().unwrap() else {
        panic!()
    };
    let attrs: Vec<(String, String)> = t
        .attributes()
        .map(|a| {
            (
                String::from_utf8(a.name.to_vec()).unwrap(),
                a.value.to_cow().into_owned(),
            )
        })
        .collect();
    assert_eq!(
        attrs,
        [
            ("x".into(), "1".into()),
            ("y".into(), "a&b".into()),
            ("z".into(), "p q".into())
        ]
    );
}

#[test]
fn names_may_be_non_ascii_and_namespaced() {
    assert_eq!(
        events("<数据 x:a='1'><x:b/></数据>".as_bytes()).unwrap(),
        ["<数据>", "<x:b/>", "</数据>"]
    );
}

#[test]
fn well_formedness_errors() {
    let cases: &[(&[u8], ErrorKind, usize)] = &[
        (b"<a></b>", ErrorKind::MismatchedEndTag, 3),
        (b"<ab></a>", ErrorKind::MismatchedEndTag, 4),
        (b"<a></ab>", ErrorKind::MismatchedEndTag, 3),
        (b"</a>", ErrorKind::UnexpectedEndTag, 0),
        (b"<a/><b/>", ErrorKind::MultipleRoots, 4),
        (b"<a/>x", ErrorKind::TextOutsideRoot, 4),
        (b"<a>", ErrorKind::UnclosedElement, 0),
        (b"<a><b>", ErrorKind::UnclosedElement, 3),
        (b"<a", ErrorKind::UnclosedTag, 0),
        (b"<a x='1'", ErrorKind::UnclosedTag, 0),
        (b"<a x='1", ErrorKind::UnclosedAttribute, 5),
        (b"<a x='<'/>", ErrorKind::LtInAttribute, 6),
        (b"<a x='1' x='2'/>", ErrorKind::DuplicateAttribute, 9),
        (b"<a x='1'y='2'/>", ErrorKind::BadAttribute, 8),
        (b"<a x=1/>", ErrorKind::BadAttribute, 5),
        (b"<a>&foo;</a>", ErrorKind::UnknownEntity, 3),
        (b"<a>& </a>", ErrorKind::BadEntityRef, 3),
        (b"<a>&#0;</a>", ErrorKind::BadCharRef, 3),
        (b"<a>&#x110000;</a>", ErrorKind::BadCharRef, 3),
        (b"<a>]]></a>", ErrorKind::CdataEndInText, 3),
        (b"<a>\x01</a>", ErrorKind::IllegalChar, 3),
        (b"<a>\xEF\xBF\xBE</a>", ErrorKind::IllegalChar, 3),
        (b"<a><!-- a -- b --></a>", ErrorKind::BadComment, 10),
        (b"<a><!-- a </a>", ErrorKind::UnclosedComment, 3),
        (b"<a><![CDATA[x</a>", ErrorKind::UnclosedCdata, 3),
        (b"<a><?pi x</a>", ErrorKind::UnclosedPi, 3),
        (b"<?xml version='1.0'?", ErrorKind::UnclosedPi, 0),
        (
            b"<?xml version='1.0' ? ?><a/>",
            ErrorKind::BadDeclaration,
            0,
        ),
        (b"<?xml version='1.?'?><a/>", ErrorKind::BadDeclaration, 0),
        (
            b"<a><?xml version='1.0'?></a>",
            ErrorKind::BadDeclaration,
            3,
        ),
        (b"<!DOCTYPE a><a/>", ErrorKind::Doctype, 0),
        (b"<a><!ENTITY x></a>", ErrorKind::BadMarkup, 3),
        (
            b"<?xml version='1.0' encoding='latin1'?><a/>",
            ErrorKind::UnsupportedEncoding,
            0,
        ),
        (
            b"<?xml encoding='UTF-8'?><a/>",
            ErrorKind::BadDeclaration,
            0,
        ),
        (
            b"<?xml version='1.0' standalone='maybe'?><a/>",
            ErrorKind::BadDeclaration,
            0,
        ),
        (b"<?xml version='1.0'?>", ErrorKind::NoRoot, 21),
        (b"<1a/>", ErrorKind::BadName, 1),
        (b"<a/ >", ErrorKind::UnexpectedByte { expected: "`>`" }, 3),
    ];
    for &(doc, kind, at) in cases {
        assert_eq!(
            events(doc).err(),
            Some((kind, at)),
            "{:?}",
            core::str::from_utf8(doc)
        );
    }
}

/// The declaration's pseudo-attribute names are read a block of 16 bytes
/// at a time: names that end in the block, fill it or run past it, at every
/// place in the declaration, are read as one name.
#[test]
fn declaration_names_of_every_length() {
    for pad in 0..20 {
        let blanks = " ".repeat(pad + 1);
        let good = alloc::format!(
            "<?xml{blanks}version='1.0'{blanks}encoding='UTF-8'{blanks}standalone='no'?><a/>"
        );
        assert!(events(good.as_bytes()).is_ok(), "{good}");
        for len in 0..40 {
            for name in [
                "v".repeat(len),
                alloc::format!("version{}", "n".repeat(len)),
            ] {
                if name == "version" {
                    continue;
                }
                let doc = alloc::format!("<?xml{blanks}{name}='1.0'?><a/>");
                assert_eq!(
                    events(doc.as_bytes()).err(),
                    Some((ErrorKind::BadDeclaration, 0)),
                    "{doc}"
                );
                let doc = alloc::format!("<?xml version='1.0'{blanks}{name}='UTF-8'?><a/>");
                assert_eq!(
                    events(doc.as_bytes()).err(),
                    Some((ErrorKind::BadDeclaration, 0)),
                    "{doc}"
                );
            }
        }
    }
}

/// An open element's name length is kept up to 254 bytes and read again
/// from the start tag beyond: names on both sides of that edge (ASCII and
/// not) are matched, named in `End` events, and a wrong end tag is refused
/// where it starts.
#[test]
fn end_tags_match_names_of_every_length() {
    for len in [1, 8, 9, 200, 253, 254, 255, 256, 300, 1000] {
        for fill in ["n", "é"] {
            let name = fill.repeat(len);
            let doc = alloc::format!("<r><{name}>t</{name}><{name}/></r>");
            let want = alloc::vec![
                String::from("<r>"),
                alloc::format!("<{name}>"),
                String::from("t"),
                alloc::format!("</{name}>"),
                alloc::format!("<{name}/>"),
                String::from("</r>"),
            ];
            assert_eq!(events(doc.as_bytes()), Ok(want), "{len} x {fill}");
            // The end tag's name one character short, one too long, or
            // with its last character changed.
            let short = fill.repeat(len - 1);
            let open = 3 + name.len() + 3;
            for wrong in [
                short.clone(),
                alloc::format!("{name}{fill}"),
                alloc::format!("{short}x"),
            ] {
                let doc = alloc::format!("<r><{name}>t</{wrong}></r>");
                assert_eq!(
                    events(doc.as_bytes()).err(),
                    Some((ErrorKind::MismatchedEndTag, open)),
                    "{len} x {fill}: {wrong}"
                );
            }
        }
    }
}

#[test]
fn depth_is_bounded_by_the_limit() {
    let opts = |d| Options::new().limits(crate::Limits::default().with_max_depth(d));
    let doc = b"<a><a><a/></a></a>";
    assert!(Reader::with_options(doc, &opts(3)).is_ok());
    let mut r = Reader::with_options(doc, &opts(3)).unwrap();
    while r.next().unwrap() != Event::Eof {}
    let mut r = Reader::with_options(doc, &opts(2)).unwrap();
    let e = loop {
        match r.next() {
            Err(e) => break e,
            Ok(Event::Eof) => panic!("accepted"),
            Ok(_) => {}
        }
    };
    assert_eq!((e.kind(), e.offset()), (ErrorKind::DepthLimit, 6));
}

#[test]
fn skip_element_in_both_modes() {
    let doc = b"<r><a x='>'><b><!-- </a> --><![CDATA[</a>]]><?p </a>?></b><c/></a><d>x</d></r>";
    for mode in [Validation::Full, Validation::Skim] {
        let mut r = Reader::with_options(doc, &Options::new().validation(mode)).unwrap();
        assert!(matches!(r.next().unwrap(), Event::Start(_)));
        assert!(matches!(r.next().unwrap(), Event::Start(t) if t.name() == b"a"));
        r.skip_element().unwrap();
        assert!(
            matches!(r.next().unwrap(), Event::Start(t) if t.name() == b"d"),
            "{mode:?}"
        );
    }
}

/// Long text (past the 64-byte short run, where `memchr3` and the span checks
/// take over) with each byte the text scanner must stop at, at every
/// position, in a document that is all ASCII before it or not (the `EF`
/// check is skipped only in the ASCII prefix).
#[test]
fn long_text_finds_every_special_at_every_position() {
    let cases: [(&[u8], Result<&str, ErrorKind>); 7] = [
        (b"&amp;", Ok("&")),
        (b"]]>", Err(ErrorKind::CdataEndInText)),
        (b"]>", Ok("]>")),
        (b"\x01", Err(ErrorKind::IllegalChar)),
        (b"\r", Ok("\n")),
        (b"\xEF\xBF\xBE", Err(ErrorKind::IllegalChar)),
        (b"\xEF\xBF\xBD", Ok("\u{FFFD}")),
    ];
    for lead in ["", "\u{e9}"] {
        for len in [63usize, 64, 65, 100, 150] {
            for at in 0..=len {
                for (special, want) in &cases {
                    let mut doc = alloc::format!("<a>{lead}").into_bytes();
                    let text = doc.len();
                    doc.extend_from_slice(&b"x".repeat(at));
                    doc.extend_from_slice(special);
                    doc.extend_from_slice(&b"y".repeat(len - at));
                    doc.extend_from_slice(b"</a>");
                    let got = events(&doc);
                    match want {
                        Ok(decoded) => {
                            let expect = alloc::format!(
                                "{lead}{}{decoded}{}",
                                "x".repeat(at),
                                "y".repeat(len - at)
                            );
                            assert_eq!(got, Ok(alloc::vec!["<a>".into(), expect, "</a>".into()]));
                        }
                        Err(kind) => assert_eq!(
                            got,
                            Err((*kind, text + at)),
                            "lead {lead:?} len {len} at {at} {special:?}"
                        ),
                    }
                }
            }
        }
    }
}

/// Rare bytes spaced around the short run's length, many in one text: CR
/// line ends (decoded to LF), full-width commas after a non-ASCII byte, and
/// an illegal control after them all, whose offset must still be exact.
#[test]
fn long_text_with_many_spaced_rare_bytes() {
    for gap in [1usize, 62, 63, 64, 65, 66, 100, 130] {
        let line = "a".repeat(gap);
        for (sep, decoded) in [("\r\n", "\n"), ("\u{FF0C}", "\u{FF0C}"), ("\r", "\n")] {
            let body = alloc::format!("\u{e9}{}", alloc::format!("{line}{sep}").repeat(12));
            let doc = alloc::format!("<a>{body}</a>");
            let want = alloc::format!("\u{e9}{}", alloc::format!("{line}{decoded}").repeat(12));
            assert_eq!(
                events(doc.as_bytes()),
                Ok(alloc::vec!["<a>".into(), want, "</a>".into()]),
                "gap {gap} {sep:?}"
            );
            let bad = alloc::format!("<a>{body}{line}\u{1}</a>");
            assert_eq!(
                events(bad.as_bytes()),
                Err((ErrorKind::IllegalChar, 3 + body.len() + gap)),
                "gap {gap} {sep:?}"
            );
        }
    }
}

/// The attribute iterator finds names, values and whether a value needs
/// decoding in one pass: every position of a special byte, across the
/// 16-byte blocks, with both quotes and whitespace around `=`, and names
/// that put the `=` and the opening quote on either side of a block's end.
#[test]
fn attributes_at_every_position_agree_with_a_byte_loop() {
    for name_len in [2, 13, 14, 15, 16] {
        let name: Vec<u8> = (0..name_len).map(|i| b"a1-._:"[i % 6]).collect();
        attributes_agree(&name);
    }
}

fn attributes_agree(name: &[u8]) {
    for len in 0..40 {
        for at in 0..=len {
            for special in [&b"&amp;"[..], b"\t", b"\n", b"\r", b"x", b"'", b"\""] {
                for (quote, eq) in [(b'"', &b"="[..]), (b'\'', b" \n= \t")] {
                    if special == [quote] {
                        continue;
                    }
                    let mut value = alloc::vec![b'v'; len];
                    if at < len {
                        value.splice(at..=at, special.iter().copied());
                    }
                    let mut doc = Vec::new();
                    doc.extend_from_slice(b"<e  ");
                    doc.extend_from_slice(name);
                    doc.extend_from_slice(eq);
                    doc.push(quote);
                    doc.extend_from_slice(&value);
                    doc.push(quote);
                    doc.extend_from_slice(b"\tlonger-name.x='z'\n/>");
                    let mut r = Reader::new(&doc).unwrap();
                    let Event::Empty(t) = r.next().unwrap() else {
                        panic!()
                    };
                    let got: Vec<_> = t
                        .attributes()
                        .map(|a| (a.name, a.value.raw(), a.value.needs_decoding(), a.offset))
                        .collect();
                    let v0 = 4 + name.len() + eq.len() + 1;
                    let decode = value
                        .iter()
                        .any(|&b| matches!(b, b'&' | b'\t' | b'\n' | b'\r'));
                    assert_eq!(got.len(), 2, "{doc:?}");
                    assert_eq!(got[0].0, name);
                    assert_eq!(got[0].1.as_bytes(), &value[..]);
                    assert_eq!(got[0].2, decode, "{doc:?}");
                    assert_eq!(got[0].3, v0);
                    assert_eq!(got[1].0, b"longer-name.x");
                    assert_eq!(got[1].1, "z");
                    assert!(!got[1].2);
                }
            }
        }
    }
}

/// The check of a start tag reports the same error at the same offset
/// wherever a bad byte sits in an attribute: in the name, right after it,
/// in the value or after the closing quote, on either side of the 16-byte
/// block the common form is checked from.
#[test]
fn attribute_errors_at_every_position_of_the_block() {
    for name_len in [1, 2, 13, 14, 15, 16, 17] {
        let name: Vec<u8> = (0..name_len).map(|i| b"a1-._:"[i % 6]).collect();
        for len in 0..20 {
            for at in 0..len {
                let v0 = 3 + name_len + 2;
                let cases: [(&[u8], ErrorKind, usize); 5] = [
                    (b"<", ErrorKind::LtInAttribute, v0 + at),
                    (b"\x01", ErrorKind::IllegalChar, v0 + at),
                    (b"&nope;", ErrorKind::UnknownEntity, v0 + at),
                    (b"&#0;", ErrorKind::BadCharRef, v0 + at),
                    (b"\xEF\xBF\xBF", ErrorKind::IllegalChar, v0 + at),
                ];
                for (bad, kind, offset) in cases {
                    let mut value = alloc::vec![b'v'; len];
                    value.splice(at..=at, bad.iter().copied());
                    let mut doc = b"<e ".to_vec();
                    doc.extend_from_slice(&name);
                    doc.extend_from_slice(b"=\"");
                    doc.extend_from_slice(&value);
                    doc.extend_from_slice(b"\"/>");
                    assert_eq!(events(&doc), Err((kind, offset)), "{doc:?}");
                }
            }
            // No separator after the value, a duplicate, and a good tag.
            let mut doc = b"<e ".to_vec();
            doc.extend_from_slice(&name);
            doc.extend_from_slice(b"='");
            doc.extend(core::iter::repeat(b'v').take(len));
            doc.extend_from_slice(b"'");
            let after = doc.len();
            let mut glued = doc.clone();
            glued.extend_from_slice(b"b='1'/>");
            assert_eq!(
                events(&glued),
                Err((ErrorKind::BadAttribute, after)),
                "{glued:?}"
            );
            let mut twice = doc.clone();
            twice.push(b' ');
            let second = twice.len();
            twice.extend_from_slice(&name);
            twice.extend_from_slice(b"=\"x\"/>");
            assert_eq!(
                events(&twice),
                Err((ErrorKind::DuplicateAttribute, second)),
                "{twice:?}"
            );
            doc.extend_from_slice(b"/>");
            assert_eq!(events(&doc), Ok(alloc::vec![String::from("<e/>")]));
        }
    }
    // A name character from 0x80 up inside the block.
    assert_eq!(
        events("<e aé='1' a='2'/>".as_bytes()),
        Ok(alloc::vec![String::from("<e/>")])
    );
    assert_eq!(
        events("<e a×='1'/>".as_bytes()),
        Err((ErrorKind::BadAttribute, 4))
    );
}
