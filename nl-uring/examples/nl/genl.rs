//! `nl genl ...`: generic netlink families and their policies.

use std::fmt::Write as _;
use std::io::{self, Write};

use nl_uring::nl_core::genl::ctrl::{self, Family, PolicyReply};
use nl_uring::nl_core::genl::decl::FamilyDecl;
use nl_uring::nl_core::nlmsg::Message;
use nl_uring::nl_core::policy::{AttrKindCode, PolicyAttrs};
use nl_uring::nl_core::table::Index;
use nl_uring::{PolicyReport, Protocol, genl, policy_check};

use crate::transport::Nl;

use crate::Fail;

/// Runs `nl genl ARGS`.
pub(crate) fn run(out: &mut impl Write, args: &[&str]) -> Result<(), Fail> {
    match args {
        ["list"] => genl_list(out),
        ["show", name] => genl_show(out, name),
        ["policy", name] => genl_policy(out, name),
        _ => Err(Fail::Usage),
    }
}

fn genl_list(out: &mut impl Write) -> Result<(), Fail> {
    let mut socket = Nl::open(Protocol::Generic)?;
    let mut buf = [0u8; 64];
    let request = ctrl::dump_families(&mut buf, socket.next_seq())?;
    socket.try_dump(request, Some(genl::ctrl_layout()), |m| {
        print_family(out, &m)
    })?;
    Ok(())
}

fn genl_show(out: &mut impl Write, name: &str) -> Result<(), Fail> {
    if name.len() >= ctrl::FAMILY_NAME_MAX {
        return Err(Fail::Usage);
    }
    let mut socket = Nl::open(Protocol::Generic)?;
    let mut buf = [0u8; 64];
    let request = ctrl::get_family_by_name(&mut buf, socket.next_seq(), name)?;
    socket.request_with(request, Some(genl::ctrl_layout()), |m| {
        print_family(out, &m)
    })?;
    Ok(())
}

fn print_family(out: &mut impl Write, message: &Message<'_>) -> Result<(), Fail> {
    let family = Family::parse(message)?;
    writeln!(out, "{family}\n")?;
    Ok(())
}

fn genl_policy(out: &mut impl Write, name: &str) -> Result<(), Fail> {
    if name.len() >= ctrl::FAMILY_NAME_MAX {
        return Err(Fail::Usage);
    }
    let mut socket = Nl::open(Protocol::Generic)?;
    let mut failure = None;
    genl::dump_policy(socket.socket(), name, None, |reply| {
        if failure.is_none() {
            failure = write_policy(out, &reply).err();
        }
    })?;
    match failure {
        Some(e) => Err(e.into()),
        None => Ok(()),
    }
}

fn write_policy(out: &mut impl Write, reply: &PolicyReply<'_>) -> io::Result<()> {
    match reply {
        PolicyReply::Op {
            op,
            do_policy,
            dump_policy,
            ..
        } => {
            let mut line = format!("op {op:#x}:");
            if let Some(p) = do_policy {
                let _ = write!(line, " do policy {p}");
            }
            if let Some(p) = dump_policy {
                let _ = write!(line, " dump policy {p}");
            }
            writeln!(out, "{line}")
        }
        PolicyReply::Attr {
            policy, attr, info, ..
        } => writeln!(out, "policy {policy} attr {attr}: {}", describe(info)),
        PolicyReply::Empty { family } => writeln!(out, "family {family:#x}: no policy"),
    }
}

/// Runs `nl policy-check FAMILY`: nl-core's declaration of FAMILY against
/// the kernel's policies, each operation "ok" or its differences, then the
/// notes; fails (exit 1) when there is any difference.
pub(crate) fn policy_check(out: &mut impl Write, args: &[&str]) -> Result<(), Fail> {
    let family: &FamilyDecl = match args {
        ["nlctrl"] => &ctrl::FAMILY,
        ["mptcp_pm"] => &nl_uring::nl_core::mptcp::FAMILY,
        _ => return Err(Fail::Usage),
    };
    let mut socket = Nl::open(Protocol::Generic)?;
    let report = policy_check::check(socket.socket(), family)?;
    write_report(out, family, &report)?;
    if report.passed() {
        Ok(())
    } else {
        Err(Fail::Io(io::Error::other(format!(
            "{}: {} difference(s) with the kernel's policies",
            report.family,
            report.differences.len()
        ))))
    }
}

/// One line per operation (`getfamily: ok`, or its differences), then its
/// notes, then the notes about operations we do not declare.
fn write_report(
    out: &mut impl Write,
    family: &FamilyDecl,
    report: &PolicyReport,
) -> io::Result<()> {
    writeln!(out, "{}:", report.family)?;
    for op in family.ops {
        let differences: Vec<_> = report
            .differences
            .iter()
            .filter(|d| d.op() == op.name)
            .collect();
        if differences.is_empty() {
            writeln!(out, "  {}: ok", op.name)?;
        }
        for difference in differences {
            writeln!(out, "  {difference}")?;
        }
        for note in report.notes.iter().filter(|n| n.op() == Some(op.name)) {
            writeln!(out, "  note: {note}")?;
        }
    }
    for note in report.notes.iter().filter(|n| n.op().is_none()) {
        writeln!(out, "  note: {note}")?;
    }
    Ok(())
}

/// `u32 range 0..=15`, `nested policy 2 (max type 4)`, …
fn describe(info: &Index<'_, PolicyAttrs>) -> String {
    let kind = info
        .get(PolicyAttrs::TYPE)
        .map(AttrKindCode::from)
        .unwrap_or(AttrKindCode::Invalid);
    let mut text = kind.to_string();
    match (
        info.get(PolicyAttrs::MIN_VALUE_S),
        info.get(PolicyAttrs::MAX_VALUE_S),
    ) {
        (Some(min), Some(max)) => {
            let _ = write!(text, " range {min}..={max}");
        }
        _ => {
            if let (Some(min), Some(max)) = (
                info.get(PolicyAttrs::MIN_VALUE_U),
                info.get(PolicyAttrs::MAX_VALUE_U),
            ) {
                let _ = write!(text, " range {min}..={max}");
            }
        }
    }
    if let Some(min) = info.get(PolicyAttrs::MIN_LENGTH) {
        let _ = write!(text, " min-length {min}");
    }
    if let Some(max) = info.get(PolicyAttrs::MAX_LENGTH) {
        let _ = write!(text, " max-length {max}");
    }
    if let Some(idx) = info.get(PolicyAttrs::POLICY_IDX) {
        let _ = write!(text, " nested policy {idx}");
        if let Some(max) = info.get(PolicyAttrs::POLICY_MAXTYPE) {
            let _ = write!(text, " (max type {max})");
        }
    }
    if let Some(mask) = info.get(PolicyAttrs::BITFIELD32_MASK) {
        let _ = write!(text, " bits {mask:#x}");
    }
    if let Some(mask) = info.get(PolicyAttrs::MASK) {
        let _ = write!(text, " mask {mask:#x}");
    }
    text
}
