//! Property-based fuzzing of every server function through the real router: whatever arrives in
//! its fields (control and bidi characters, NUL, formulas, huge or edge numbers, long text,
//! missing or extra fields), the portal never answers 500 or panics, and a refused request writes
//! nothing. `FUZZ_CASES` sets the cases per function (a few in the test command; `scripts/fuzz.sh`
//! runs many more).

use super::http::{call, form_of, router};
use super::matrix::{admitted, fingerprint, rows, stage, Who};
use app::testing::TestDb;
use axum::http::StatusCode;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// What a hostile or broken client might put in one field.
fn hostile_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("\r\nBcc: everyone@example.com".to_owned()),
        Just("\u{202e}evil\u{200b}".to_owned()),
        Just("nul\0byte".to_owned()),
        Just("=cmd|' /C calc'!A0".to_owned()),
        Just("<script>alert(1)</script>".to_owned()),
        Just("0".to_owned()),
        Just("-1".to_owned()),
        Just("9223372036854775807".to_owned()),
        Just("-9223372036854775808".to_owned()),
        Just("18446744073709551616".to_owned()),
        Just("true".to_owned()),
        Just("x".repeat(20_000)),
        "\\PC{0,40}",
        "[a-zA-Z0-9 @.%&=+-]{0,60}",
    ]
}

/// How one field of a valid request is changed.
#[derive(Debug, Clone)]
enum Mutation {
    Keep,
    Replace(String),
    Drop,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        2 => Just(Mutation::Keep),
        5 => hostile_value().prop_map(Mutation::Replace),
        1 => Just(Mutation::Drop),
    ]
}

/// The fields of a form body, as `form_of` wrote them.
fn fields_of(form: &str) -> Vec<(String, String)> {
    let decode = |text: &str| {
        let bytes = text.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' && i + 2 < bytes.len() {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("00");
                out.push(u8::from_str_radix(hex, 16).unwrap_or(0));
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    form.split('&')
        .filter(|pair| !pair.is_empty())
        .filter_map(|pair| pair.split_once('='))
        .map(|(name, value)| (decode(name), decode(value)))
        .collect()
}

fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(12)
}

#[tokio::test]
async fn no_input_makes_a_server_function_fail_or_write_half() {
    let test = TestDb::new().await;
    let router = router(&test.state);
    let (cast, ids) = stage(&test.state, &router).await;
    // Deterministic: a failure names the case, and the same run reproduces it.
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    );
    let mut failures = Vec::new();
    for (function, who, form) in rows(&ids) {
        if who == Who::Development {
            continue;
        }
        let fields = fields_of(&form);
        let strategy = (
            proptest::collection::vec(mutation(), fields.len()),
            proptest::option::of(("[a-z_\\[\\]]{1,12}", hostile_value())),
        );
        for case in 0..cases() {
            let (mutations, extra) = strategy.new_tree(&mut runner).expect("a case").current();
            let mut sent: Vec<(String, String)> = fields
                .iter()
                .zip(&mutations)
                .filter_map(|((name, value), mutation)| match mutation {
                    Mutation::Keep => Some((name.clone(), value.clone())),
                    Mutation::Replace(hostile) => Some((name.clone(), hostile.clone())),
                    Mutation::Drop => None,
                })
                .collect();
            sent.extend(extra);
            let pairs: Vec<(&str, &str)> = sent
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_str()))
                .collect();
            let before = fingerprint(test.db()).await;
            let answer = call(&router, function, &form_of(&pairs), admitted(who, &cast)).await;
            let shown = || format!("{function} case {case} with {sent:?}");
            if answer.status == StatusCode::INTERNAL_SERVER_ERROR {
                failures.push(format!("500 from {}: {}", shown(), answer.body));
            } else if !answer.status.is_success() && fingerprint(test.db()).await != before {
                failures.push(format!("{} refused ({}) but wrote", shown(), answer.status));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn form_fields_are_read_back_as_written() {
    let written = form_of(&[("form[email]", "a b&c=d%"), ("page", "0")]);
    assert_eq!(
        fields_of(&written),
        [
            ("form[email]".to_owned(), "a b&c=d%".to_owned()),
            ("page".to_owned(), "0".to_owned()),
        ]
    );
}
