//! `nl decode FAMILY [--hex] [FILE]`: raw netlink messages (from FILE, or
//! stdin) as JSON, one object per message per line.
//!
//! Input: one or more messages back to back, as `recvmsg` returns them;
//! with `--hex`, hex text instead: bytes as pairs of digits separated or not
//! by whitespace or commas, `0x` prefixes allowed, strace's `\x` escapes and
//! double quotes ignored, `#` starts a comment to the end of the line.
//!
//! FAMILY is a spec name: `rt-link`, `rt-addr`, `rt-route`, `rt-neigh`,
//! `rt-rule`, `tc`, `nlctrl`, `mptcp_pm` (requests and replies),
//! `mptcp_pm-events` (the `mptcp_pm_events` group: `cmd` is the event
//! type), `ovs_datapath`, `ovs_vport`, `ovs_flow`, or `route` for any
//! rtnetlink kind, told apart by message type.
//!
//! Attribute sets whose order is their meaning (OVS action lists) print
//! as a list of one-key objects, in wire order.
//!
//! Output per message:
//!
//! ```text
//! {"nlmsg": {"len": L, "type": T, "flags": [...], "seq": S, "pid": P},
//!  "msg": "newlink",              message or command name (when known)
//!  "genlmsghdr": {"cmd": C, "version": V, "reserved": 0},   genl only
//!  "header": {...},               the family's fixed header, by member
//!  "attrs": {...}}                see decode/json.rs
//! ```
//!
//! `NLMSG_ERROR`: `"msg": "error"` (or `"ack"`), `"error-code": -errno`,
//! `"errno": "EINVAL"`, `"request": {nlmsg header}`, `"request-payload"`
//! (the echoed request decoded by the family as `msg`, `header`, `attrs`,
//! or hex when it does not decode; absent when capped), `"extack": {...}`.
//! `NLMSG_DONE`: `"msg": "done"`, `"status"`, `"extack"`. A message that
//! does not decode: `{"error": "<nl-core error>", "offset": N}` (N from the
//! start of the input); a malformed message stream stops there.
//! nlmsg flags are named as `linux/netlink.h` names them, with the bits
//! above 0x80 read per message class (get, new, delete, error).

mod families;
mod json;

use std::io::{Read, Write};

use nl_core::Error;
use nl_core::nlmsg::{self, ExtAckAttrs, Header, Message, Messages};
use nl_core::table::AttrSet;
use nl_uring::nl_core;
use serde_json::{Map, Value, json};

use crate::Fail;
use families::Family;

/// Which family or families to decode with.
enum Choice {
    One(&'static Family),
    AnyRtnetlink,
}

/// Runs `nl decode ...`.
pub(crate) fn run(out: &mut impl Write, args: &[&str]) -> Result<(), Fail> {
    let (name, rest) = args.split_first().ok_or(Fail::Usage)?;
    let choice = match *name {
        "route" => Choice::AnyRtnetlink,
        name => Choice::One(families::find(name).ok_or(Fail::Usage)?),
    };
    let (hex, rest) = match rest {
        ["--hex", rest @ ..] => (true, rest),
        rest => (false, rest),
    };
    let mut input = Vec::new();
    match rest {
        [] => {
            std::io::stdin().read_to_end(&mut input)?;
        }
        [file] => input = std::fs::read(file)?,
        _ => return Err(Fail::Usage),
    }
    if hex {
        input = parse_hex(&input).map_err(|e| Fail::Io(std::io::Error::other(e)))?;
    }
    for line in decode_all(&choice, &input) {
        serde_json::to_writer(&mut *out, &line).map_err(std::io::Error::from)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Hex text as bytes.
fn parse_hex(text: &[u8]) -> Result<Vec<u8>, String> {
    let text = String::from_utf8_lossy(text);
    let mut bytes = Vec::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or_default();
        let line = line.replace("\\x", " ").replace('"', " ");
        for token in line.split(|c: char| c.is_whitespace() || c == ',') {
            let digits = token
                .strip_prefix("0x")
                .or_else(|| token.strip_prefix("0X"))
                .unwrap_or(token);
            if digits.is_empty() {
                continue;
            }
            if digits.len() == 1 {
                bytes.push(u8::from_str_radix(digits, 16).map_err(|_| bad(token))?);
                continue;
            }
            if digits.len() % 2 != 0 {
                return Err(bad(token));
            }
            for pair in digits.as_bytes().chunks(2) {
                let pair = std::str::from_utf8(pair).map_err(|_| bad(token))?;
                bytes.push(u8::from_str_radix(pair, 16).map_err(|_| bad(token))?);
            }
        }
    }
    Ok(bytes)
}

fn bad(token: &str) -> String {
    format!("not hex: {token:?}")
}

/// Every message of `input` as one JSON value.
fn decode_all(choice: &Choice, input: &[u8]) -> Vec<Value> {
    let mut lines = Vec::new();
    let mut messages = Messages::new(input);
    loop {
        let at = messages.offset();
        match messages.next() {
            None => return lines,
            Some(Ok(message)) => lines.push(match decode_one(choice, &message) {
                Ok(value) => value,
                Err((e, offset)) => error(e, at + offset),
            }),
            Some(Err(e)) => {
                lines.push(error(e, at));
                return lines;
            }
        }
    }
}

/// The line of a message that does not decode.
fn error(e: Error, offset: usize) -> Value {
    json!({"error": e.to_string(), "offset": offset})
}

/// One message; an error carries its offset from the message's start.
fn decode_one(choice: &Choice, message: &Message<'_>) -> Result<Value, (Error, usize)> {
    let mut out = Map::new();
    let ty = message.ty();
    match ty {
        nlmsg::ERROR => {
            out.insert("nlmsg".into(), nlmsg_header(message.header(), "error"));
            error_message(choice, message, &mut out)?;
        }
        nlmsg::DONE => {
            out.insert("nlmsg".into(), nlmsg_header(message.header(), "done"));
            done_message(message, &mut out)?;
        }
        ty if ty < nlmsg::MIN_TYPE => {
            out.insert("nlmsg".into(), nlmsg_header(message.header(), "control"));
            out.insert(
                "msg".into(),
                json!(if ty == nlmsg::OVERRUN {
                    "overrun"
                } else {
                    "noop"
                }),
            );
        }
        ty => {
            let family = match choice {
                Choice::One(family) => family,
                Choice::AnyRtnetlink => {
                    families::rtnetlink_by_type(ty).ok_or((Error::UnexpectedType { ty }, 4))?
                }
            };
            family_message(family, message, &mut out)?;
        }
    }
    Ok(Value::Object(out))
}

/// A family's message: its `nlmsghdr`, then the body.
fn family_message(
    family: &Family,
    message: &Message<'_>,
    out: &mut Map<String, Value>,
) -> Result<(), (Error, usize)> {
    let ty = message.ty();
    let class = if family.genl { "genl" } else { rt_class(ty) };
    out.insert("nlmsg".into(), nlmsg_header(message.header(), class));
    family_body(family, ty, message.payload(), out)
}

/// A family message's payload (after the `nlmsghdr`) of type `ty`:
/// (genl header), fixed header, attributes. Error offsets are from the
/// start of the message (the `nlmsghdr` before `payload`).
fn family_body(
    family: &Family,
    ty: u16,
    payload: &[u8],
    out: &mut Map<String, Value>,
) -> Result<(), (Error, usize)> {
    let mut rest = payload;
    let mut at = Header::LEN;
    let key = if family.genl {
        let genl = take(&mut rest, &mut at, families::GENL_HEADER.len)?;
        out.insert(
            "genlmsghdr".into(),
            json::structure(families::GENL_HEADER.members, genl),
        );
        genl.first().map(|cmd| u16::from(*cmd)).unwrap_or_default()
    } else {
        ty
    };
    // The offset of what names the message: `cmd`, or `nlmsg_type`.
    let key_at = if family.genl { Header::LEN } else { 4 };
    let msg = family
        .message(key)
        .ok_or((Error::UnexpectedType { ty: key }, key_at))?;
    out.insert("msg".into(), json!(msg.name));
    if let Some(header) = &family.header {
        let fixed = take(&mut rest, &mut at, header.len)?;
        out.insert("header".into(), json::structure(header.members, fixed));
    }
    // Attributes start at the next 4-byte edge after the headers.
    let pad = nl_core::align(at).ok_or((Error::Truncated, at))? - at;
    let attrs = rest.get(pad..).unwrap_or_default();
    at += pad.min(rest.len());
    let attrs = json::attrs((msg.attrs)(), attrs, 0).map_err(|(e, offset)| (e, at + offset))?;
    out.insert("attrs".into(), Value::Object(attrs));
    Ok(())
}

/// Takes `len` bytes off the front of `rest`; `at` follows the offset.
fn take<'a>(rest: &mut &'a [u8], at: &mut usize, len: usize) -> Result<&'a [u8], (Error, usize)> {
    if rest.len() < len {
        return Err((Error::Truncated, *at));
    }
    let (head, tail) = rest.split_at(len);
    *rest = tail;
    *at += len;
    Ok(head)
}

/// `NLMSG_ERROR`: the code, the request's header, the extended ACK.
fn error_message(
    choice: &Choice,
    message: &Message<'_>,
    out: &mut Map<String, Value>,
) -> Result<(), (Error, usize)> {
    let ack = match nlmsg::Reply::classify(*message).map_err(|e| (e, Header::LEN))? {
        nlmsg::Reply::Ack(ack) => {
            out.insert("msg".into(), json!("ack"));
            ack
        }
        nlmsg::Reply::Error(ack) => {
            out.insert("msg".into(), json!("error"));
            ack
        }
        _ => return Err((Error::UnexpectedType { ty: message.ty() }, 4)),
    };
    out.insert("error-code".into(), json!(ack.code));
    if let Some(name) = ack.errno().name() {
        out.insert("errno".into(), json!(name));
    }
    // The request's high flags mean what its class says (rtnetlink only:
    // genl commands do not say whether they create or get).
    let class = match choice {
        Choice::One(family) if family.genl => "genl",
        _ => rt_class(ack.request.ty.get()),
    };
    out.insert("request".into(), nlmsg_header(ack.request, class));
    if !ack.request_payload.is_empty() {
        out.insert(
            "request-payload".into(),
            request_payload(choice, ack.request.ty.get(), ack.request_payload),
        );
    }
    if message.flags().contains(nlmsg::Flags::ACK_TLVS) {
        let echo = Header::LEN + ack.request_payload.len();
        let start = 4 + nl_core::align(echo).unwrap_or(echo);
        extack(message.payload(), start, out)?;
    }
    Ok(())
}

/// The echoed request's payload, decoded by its family when it can be
/// (`msg`, `genlmsghdr`, `header`, `attrs`), else as hex.
fn request_payload(choice: &Choice, ty: u16, payload: &[u8]) -> Value {
    let family = match choice {
        Choice::One(family) => Some(*family),
        Choice::AnyRtnetlink => families::rtnetlink_by_type(ty),
    };
    let mut out = Map::new();
    match family.map(|family| family_body(family, ty, payload, &mut out)) {
        Some(Ok(())) => Value::Object(out),
        _ => json!(json::hex(payload)),
    }
}

/// `NLMSG_DONE`: the status and the extended ACK.
fn done_message(message: &Message<'_>, out: &mut Map<String, Value>) -> Result<(), (Error, usize)> {
    let done = match nlmsg::Reply::classify(*message).map_err(|e| (e, Header::LEN))? {
        nlmsg::Reply::Done(done) => done,
        _ => return Err((Error::UnexpectedType { ty: message.ty() }, 4)),
    };
    out.insert("msg".into(), json!("done"));
    out.insert("status".into(), json!(done.status));
    if let Some(name) = done.errno().name().filter(|_| done.status != 0) {
        out.insert("errno".into(), json!(name));
    }
    if message.flags().contains(nlmsg::Flags::ACK_TLVS) {
        extack(message.payload(), 4, out)?;
    }
    Ok(())
}

/// The extended ACK attributes at `start` of an ERROR or DONE payload.
fn extack(
    payload: &[u8],
    start: usize,
    out: &mut Map<String, Value>,
) -> Result<(), (Error, usize)> {
    let tlvs = payload.get(start..).unwrap_or_default();
    let attrs = json::attrs(ExtAckAttrs::table(), tlvs, 0)
        .map_err(|(e, offset)| (e, Header::LEN + start + offset))?;
    out.insert("extack".into(), Value::Object(attrs));
    Ok(())
}

/// The message class of an rtnetlink type: new, del, get or set.
fn rt_class(ty: u16) -> &'static str {
    match ty % 4 {
        0 => "new",
        1 => "del",
        2 => "get",
        _ => "set",
    }
}

/// The `nlmsghdr` as an object; `class` picks the names of the high flags.
fn nlmsg_header(header: &Header, class: &str) -> Value {
    json!({
        "len": header.len.get(),
        "type": header.ty.get(),
        "flags": nlmsg_flags(header.flags.get(), class),
        "seq": header.seq.get(),
        "pid": header.pid.get(),
    })
}

/// Flag names of `linux/netlink.h`; unknown bits as one number at the end.
fn nlmsg_flags(flags: u16, class: &str) -> Value {
    const LOW: &[(u16, &str)] = &[
        (0x01, "request"),
        (0x02, "multi"),
        (0x04, "ack"),
        (0x08, "echo"),
        (0x10, "dump-intr"),
        (0x20, "dump-filtered"),
    ];
    let high: &[(u16, &str)] = match class {
        "get" => &[(0x100, "root"), (0x200, "match"), (0x400, "atomic")],
        "new" => &[
            (0x100, "replace"),
            (0x200, "excl"),
            (0x400, "create"),
            (0x800, "append"),
        ],
        "del" => &[(0x100, "nonrec"), (0x200, "bulk")],
        "error" | "done" => &[(0x100, "capped"), (0x200, "ack-tlvs")],
        _ => &[],
    };
    let mut names = Vec::new();
    let mut left = flags;
    for (bit, name) in LOW.iter().chain(high) {
        if flags & bit != 0 {
            names.push(json!(name));
            left &= !bit;
        }
    }
    if left != 0 {
        names.push(json!(left));
    }
    Value::Array(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_accepts_pairs_prefixes_commas_escapes_and_comments() {
        let text = b"01 0203 # comment ff\n0x4, 0x05,6\n\"\\x07\\x08\"";
        assert_eq!(parse_hex(text).unwrap(), [1, 2, 3, 4, 5, 6, 7, 8]);
        assert!(parse_hex(b"123").is_err());
        assert!(parse_hex(b"zz").is_err());
    }
}
