//! `nl`: a small netlink tool over nl-uring, works unprivileged.
//!
//! ```text
//! nl genl list            every generic netlink family, like `genl ctrl list`
//! nl genl show NAME       one family
//! nl genl policy NAME     its attribute policies (CTRL_CMD_GETPOLICY)
//! nl link show            links: index, name, flags, mtu (RTM_GETLINK dump)
//! ```
//!
//! Exit status: 0 on success, 1 when the kernel or the socket fails (the
//! kernel's extended-ACK text is printed), 2 on bad arguments.

use std::fmt::Write as _;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use nl_uring::nl_core::genl::ctrl::{self, Family, PolicyReply};
use nl_uring::nl_core::nlmsg::{Flags, Header, Message, RequestLayout};
use nl_uring::nl_core::policy::{AttrKindCode, PolicyAttrs};
use nl_uring::nl_core::table::{AttrSet, Index, Nest, NulStr, Str};
use nl_uring::nl_core::{self, Writer};
use nl_uring::{Error, Protocol, Socket, genl};

const USAGE: &str = "\
usage: nl genl list
       nl genl show NAME
       nl genl policy NAME
       nl link show";

/// `RTM_GETLINK`.
const RTM_GETLINK: u16 = 18;
/// Size of `struct ifinfomsg`.
const IFINFOMSG_LEN: usize = 16;

nl_core::attr_set! {
    /// The few `IFLA_*` attributes this tool prints.
    struct LinkAttrs = "link-attrs" {
        /// `IFLA_IFNAME`.
        3 IFNAME "ifname": NulStr<15>;
        /// `IFLA_MTU`.
        4 MTU "mtu": u32;
        /// `IFLA_LINKINFO`.
        18 LINKINFO "linkinfo": Nest<LinkInfoAttrs>;
    }
}

nl_core::attr_set! {
    /// `IFLA_INFO_*`.
    struct LinkInfoAttrs = "linkinfo-attrs" {
        /// `IFLA_INFO_KIND`.
        1 KIND "kind": Str<0>;
    }
}

enum Fail {
    Usage,
    Nl(Error),
    Io(io::Error),
}

impl From<Error> for Fail {
    fn from(e: Error) -> Self {
        Fail::Nl(e)
    }
}

impl From<io::Error> for Fail {
    fn from(e: io::Error) -> Self {
        Fail::Io(e)
    }
}

impl From<nl_core::Error> for Fail {
    fn from(e: nl_core::Error) -> Self {
        Fail::Nl(e.into())
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let result = match args.as_slice() {
        ["help" | "-h" | "--help"] => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        ["genl", "list"] => genl_list(&mut out),
        ["genl", "show", name] => genl_show(&mut out, name),
        ["genl", "policy", name] => genl_policy(&mut out, name),
        ["link", "show"] => link_show(&mut out),
        _ => Err(Fail::Usage),
    };
    let result = result.and_then(|()| out.flush().map_err(Fail::Io));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Fail::Usage) => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
        Err(Fail::Nl(Error::Kernel(k))) => {
            match k.errno.name() {
                Some(name) => eprintln!("error: {} ({name})", k.text()),
                None => eprintln!("error: {}", k.text()),
            }
            if let Some(path) = k.path.as_ref().filter(|p| !p.elems.is_empty()) {
                eprintln!("  at attribute {path}");
            }
            if let Some(name) = k.missing_name {
                eprintln!("  missing attribute {name}");
            }
            ExitCode::from(1)
        }
        Err(Fail::Nl(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
        Err(Fail::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(Fail::Io(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn genl_list(out: &mut impl Write) -> Result<(), Fail> {
    let mut socket = Socket::open(Protocol::Generic)?;
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
    let mut socket = Socket::open(Protocol::Generic)?;
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
    let mut socket = Socket::open(Protocol::Generic)?;
    let mut failure = None;
    genl::dump_policy(&mut socket, name, None, |reply| {
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

fn link_show(out: &mut impl Write) -> Result<(), Fail> {
    let mut socket = Socket::open(Protocol::Route)?;
    let mut buf = [0u8; 64];
    let mut w = Writer::new(&mut buf);
    let start = w.begin_message(Header::new(
        RTM_GETLINK,
        Flags::REQUEST | Flags::DUMP,
        socket.next_seq(),
        0,
    ))?;
    w.put_bytes(&[0; IFINFOMSG_LEN])?;
    w.end_message(start)?;
    let layout = RequestLayout {
        header_len: IFINFOMSG_LEN,
        attrs: LinkAttrs::table(),
    };
    socket.try_dump(w.as_bytes(), Some(layout), |m| print_link(out, &m))?;
    Ok(())
}

fn print_link(out: &mut impl Write, message: &Message<'_>) -> Result<(), Fail> {
    let payload = message.payload();
    let header = payload
        .get(..IFINFOMSG_LEN)
        .ok_or(nl_core::Error::Truncated)?;
    let field = |at: usize| -> u32 {
        let mut b = [0u8; 4];
        b.copy_from_slice(header.get(at..at + 4).unwrap_or(&[0; 4]));
        u32::from_ne_bytes(b)
    };
    let (index, flags) = (field(4) as i32, field(8));
    let attrs = Index::<LinkAttrs>::parse(payload.get(IFINFOMSG_LEN..).unwrap_or_default())?;
    let name = attrs
        .get(LinkAttrs::IFNAME)
        .map(|n| n.to_string())
        .unwrap_or_default();
    write!(out, "{index}: {name}: <{}>", flag_names(flags))?;
    if let Some(mtu) = attrs.get(LinkAttrs::MTU) {
        write!(out, " mtu {mtu}")?;
    }
    if let Some(info) = attrs.get(LinkAttrs::LINKINFO) {
        if let Some(kind) = info.parse()?.get(LinkInfoAttrs::KIND) {
            write!(out, " kind {kind}")?;
        }
    }
    writeln!(out)?;
    Ok(())
}

/// `IFF_*` names of the set bits, in bit order.
fn flag_names(flags: u32) -> String {
    const NAMES: [&str; 19] = [
        "UP",
        "BROADCAST",
        "DEBUG",
        "LOOPBACK",
        "POINTOPOINT",
        "NOTRAILERS",
        "RUNNING",
        "NOARP",
        "PROMISC",
        "ALLMULTI",
        "MASTER",
        "SLAVE",
        "MULTICAST",
        "PORTSEL",
        "AUTOMEDIA",
        "DYNAMIC",
        "LOWER_UP",
        "DORMANT",
        "ECHO",
    ];
    let mut names: Vec<String> = NAMES
        .iter()
        .enumerate()
        .filter(|(bit, _)| flags & (1 << bit) != 0)
        .map(|(_, n)| (*n).to_owned())
        .collect();
    let unknown = flags & !((1u32 << NAMES.len()) - 1);
    if unknown != 0 {
        names.push(format!("{unknown:#x}"));
    }
    names.join(",")
}
