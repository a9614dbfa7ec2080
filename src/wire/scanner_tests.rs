//! Unit tests of the scanner: strings and escapes, skipping, numbers, the depth limit and
//! every kind of malformed input.

use super::*;
use crate::wire::fields::{any, parse, record};

fn string(json: &str) -> Res<Cow<'_, str>> {
    parse(json, Scanner::string)
}

fn skip(json: &str) -> Res<()> {
    parse(json, Scanner::skip)
}

#[test]
fn strings_borrow_unless_escaped() {
    assert!(matches!(string(r#""abc""#), Ok(Cow::Borrowed("abc"))));
    assert!(matches!(string(r#"  "" "#), Ok(Cow::Borrowed(""))));
    let long = format!("\"{}\"", "x".repeat(100));
    assert!(matches!(string(&long), Ok(Cow::Borrowed(s)) if s.len() == 100));
    assert!(matches!(string("\"é世😀\""), Ok(Cow::Borrowed("é世😀"))));
}

#[test]
fn every_escape_decodes() {
    assert_eq!(
        string(r#""a\nb\tc\"d\\e\/f\bg\fh\ri""#).as_deref(),
        Ok("a\nb\tc\"d\\e/f\u{8}g\u{c}h\ri")
    );
    assert_eq!(string(r#""\u00e9\u00C9x""#).as_deref(), Ok("éÉx"));
    assert_eq!(string(r#""\u0000""#).as_deref(), Ok("\0"));
    assert_eq!(string(r#""\uD83D\uDE00!""#).as_deref(), Ok("😀!"));
    assert_eq!(string(r#""\udbff\udfff""#).as_deref(), Ok("\u{10FFFF}"));
    assert_eq!(
        string(r#""12345678\n12345678""#).as_deref(),
        Ok("12345678\n12345678")
    );
}

#[test]
fn lone_surrogates_fail_when_read_but_not_when_skipped() {
    for lone in [
        r#""\ud800""#,
        r#""\udc00""#,
        r#""\ud800x""#,
        r#""\ud800\n""#,
        r#""\ud800\u0041""#,
        r#""\ud800\ud800""#,
        r#""\ud800\""#,
    ] {
        assert_eq!(string(lone), Err(Invalid), "{lone}");
        if lone != r#""\ud800\""# {
            assert_eq!(skip(lone), Ok(()), "{lone}");
        }
    }
}

#[test]
fn malformed_strings_fail() {
    for bad in [
        "\"abc",
        "\"a\\",
        "\"\\x\"",
        "\"\\u12\"",
        "\"\\u12g4\"",
        "\"\\U0041\"",
        "\"a\u{1}b\"",
        "\"a\tb\"",
        "\"a\nb\"",
        "\"\u{1f}\"",
        "'a'",
        "abc",
        "",
    ] {
        assert_eq!(string(bad).map(|_| ()), Err(Invalid), "{bad:?}");
        assert_eq!(skip(bad), Err(Invalid), "{bad:?}");
    }
    // DEL and non-ASCII are not control characters for JSON.
    assert_eq!(string("\"\u{7f}\u{80}\"").as_deref(), Ok("\u{7f}\u{80}"));
}

#[test]
fn numbers_follow_the_json_grammar() {
    for good in [
        "0",
        "-0",
        "7",
        "-12",
        "1.5",
        "-0.25",
        "1e3",
        "1E+3",
        "1e-3",
        "0.0e0",
        "1e400",
        "123456789012345678901234567890",
    ] {
        assert_eq!(parse(good, Scanner::number), Ok(good), "{good}");
        assert_eq!(skip(good), Ok(()), "{good}");
    }
    for bad in [
        "01", "-", "--1", "+1", ".5", "1.", "1.e3", "1e", "1e+", "0x1", "NaN", "Infinity", "1 2",
        "- 1",
    ] {
        assert_eq!(skip(bad), Err(Invalid), "{bad}");
    }
}

#[test]
fn skip_accepts_json_and_rejects_the_rest() {
    for good in [
        "null",
        "true",
        "false",
        "[]",
        "{}",
        " [ 1 , \"a\" , { \"k\" : [ null ] } ] ",
        r#"{"a":{"b":{"c":[1,[2,[3]]]}},"d":"\u00e9"}"#,
        "\t\r\n{}\n",
    ] {
        assert_eq!(skip(good), Ok(()), "{good}");
    }
    for bad in [
        "nul",
        "nulll",
        "tru",
        "True",
        "[1,]",
        "[,1]",
        "[1 2]",
        "{\"a\":1,}",
        "{\"a\" 1}",
        "{\"a\":}",
        "{a:1}",
        "{1:1}",
        "{\"a\":1",
        "[1",
        "[",
        "{",
        "]",
        "}",
        "{\"a\":1}}",
        "{\"a\":1} x",
        "[1]]",
        "\u{a0}1",
        "1\u{c}",
    ] {
        assert_eq!(skip(bad), Err(Invalid), "{bad:?}");
    }
}

#[test]
fn skipping_has_no_depth_limit_and_does_not_recurse() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(skip(&deep), Ok(()));
    let objects = format!("{}null{}", "{\"a\":".repeat(50_000), "}".repeat(50_000));
    assert_eq!(skip(&objects), Ok(()));
    let unbalanced = format!("{}{}", "[".repeat(300), "]".repeat(299));
    assert_eq!(skip(&unbalanced), Err(Invalid));
    let mixed = format!("{}1{}", "[{\"a\":".repeat(200), "}]".repeat(200));
    assert_eq!(skip(&mixed), Ok(()));
    let crossed = format!("{}1{}", "[{\"a\":".repeat(200), "]}".repeat(200));
    assert_eq!(skip(&crossed), Err(Invalid));
}

#[test]
fn values_stop_at_serde_json_recursion_limit() {
    for depth in [1, 126, 127, 128, 129, 10_000] {
        let json = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let ours = parse(&json, any).is_ok();
        let serde = serde_json::from_str::<serde_json::Value>(&json).is_ok();
        assert_eq!(ours, serde, "depth {depth}");
        assert_eq!(ours, depth < 128, "depth {depth}");
    }
}

#[test]
fn values_check_strings_and_number_range_like_serde_json() {
    for json in [
        r#"{"a":"\ud800"}"#,
        r#"{"\ud800":1}"#,
        r#"[1e400]"#,
        r#"[-1e400]"#,
        r#"[1e-400]"#,
        r#"[0e999999999999]"#,
        r#"[1.7976931348623157e308]"#,
        r#"[1.7976931348623159e308]"#,
        r#"[18446744073709551616]"#,
        r#"[{"a":1,"a":2}]"#,
    ] {
        let ours = parse(json, any).is_ok();
        let serde = serde_json::from_str::<serde_json::Value>(json).is_ok();
        assert_eq!(ours, serde, "{json}");
    }
}

#[test]
fn records_take_objects_or_positional_arrays() {
    let read = |json: &str| {
        let mut got = Vec::new();
        parse(json, |s| {
            record(s, &["a", "b"], |s, field| {
                got.push((field, s.number()?.to_owned()));
                Ok(())
            })
        })
        .map(|()| got)
    };
    let pairs = |list: &[(usize, &str)]| {
        list.iter()
            .map(|(i, n)| (*i, (*n).to_owned()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        read(r#"{"b":2,"x":[{}],"a":1}"#),
        Ok(pairs(&[(1, "2"), (0, "1")]))
    );
    assert_eq!(read(r#"{"\u0061":1}"#), Ok(pairs(&[(0, "1")])));
    assert_eq!(read(r#"[1,2]"#), Ok(pairs(&[(0, "1"), (1, "2")])));
    assert_eq!(read(r#"[1]"#), Ok(pairs(&[(0, "1")])));
    assert_eq!(read(r#"[]"#), Ok(vec![]));
    assert_eq!(read(r#"[1,2,3]"#), Err(Invalid));
    assert_eq!(read(r#"{"a":1,"a":1}"#), Err(Invalid));
    assert_eq!(read(r#"{"\u0061":1,"a":1}"#), Err(Invalid));
    assert_eq!(read(r#"{"x":1,"x":1}"#), Ok(vec![]));
    assert_eq!(read(r#""a""#), Err(Invalid));
    assert_eq!(read(r#"null"#), Err(Invalid));
}

#[test]
fn nothing_panics_on_any_prefix() {
    let json = r#"{"choices":[{"delta":{"content":"a\u00e9\uD83D\uDE00\n","x":[1,-2.5e3,true,null,{}]}}],"usage":{"prompt_tokens":1}}"#;
    for end in 0..=json.len() {
        let prefix = &json[..end];
        let _ = skip(prefix);
        let _ = parse(prefix, any);
        let _ = string(prefix);
        let _ = parse(prefix, Scanner::number);
    }
    assert_eq!(skip(json), Ok(()));
}
