//! `nl link ...`: network interfaces (RTM_GETLINK / NEWLINK / SETLINK / DELLINK).

use std::io::Write;

use nl_uring::Protocol;
use nl_uring::nl_core::nlmsg::Flags;
use nl_uring::nl_core::route::link::{
    self, BridgeAttrs, HwAddr, IfFlags, Link, LinkAttrs, LinkChange, LinkData, LinkFilter, LinkRef,
    MacvlanAttrs, MacvlanMode, NewKind, NewLink, VxlanAttrs, link_type_name,
};

use crate::transport::Nl;
use serde_json::{Map, Value, json};

use crate::Fail;

/// Runs `nl link ARGS`.
pub(crate) fn run(out: &mut impl Write, args: &[&str], json: bool) -> Result<(), Fail> {
    match args {
        ["show"] => show(out, None, json),
        ["show", "dev", name] | ["show", name] => show(out, Some(name), json),
        ["set", name, rest @ ..] if !rest.is_empty() => set(name, rest),
        ["add", name, "type", rest @ ..] => add(name, rest),
        ["del", name] | ["delete", name] | ["del", "dev", name] => del(name),
        _ => Err(Fail::Usage),
    }
}

/// One link of a dump, kept as the kernel sent it.
pub(crate) struct Owned {
    ty: u16,
    payload: Vec<u8>,
}

impl Owned {
    /// The decoded view.
    pub(crate) fn view(&self) -> Result<Link<'_>, Fail> {
        Ok(Link::parse_payload(self.ty, &self.payload)?)
    }
}

/// Every link of the namespace, in the kernel's order.
pub(crate) fn dump_all(socket: &mut Nl) -> Result<Vec<Owned>, Fail> {
    let mut buf = [0u8; 64];
    let request = link::dump_links(&mut buf, socket.next_seq(), LinkFilter::default())?;
    let mut links = Vec::new();
    socket.try_dump(request, Some(link::layout()), |m| {
        Link::parse(&m)?;
        links.push(Owned {
            ty: m.ty(),
            payload: m.payload().to_vec(),
        });
        Ok::<(), Fail>(())
    })?;
    Ok(links)
}

/// The index of the link named `name`.
pub(crate) fn index_of(socket: &mut Nl, name: &str) -> Result<i32, Fail> {
    let mut buf = [0u8; 64];
    let request = link::get_link(&mut buf, socket.next_seq(), LinkRef::Name(name))?;
    let mut index = None;
    socket.request_with(request, Some(link::layout()), |m| {
        index = Some(Link::parse(&m)?.index());
        Ok::<(), Fail>(())
    })?;
    index.ok_or(Fail::Nl(nl_uring::nl_core::Error::Truncated.into()))
}

/// Names by index, for `@peer` and `master`.
pub(crate) struct Names(Vec<(i32, String, u32)>);

impl Names {
    pub(crate) fn of(links: &[Owned]) -> Result<Self, Fail> {
        let mut names = Vec::new();
        for l in links {
            let v = l.view()?;
            names.push((v.index(), v.name().to_string(), v.flags().0));
        }
        Ok(Names(names))
    }

    pub(crate) fn name(&self, index: i64) -> Option<&str> {
        self.0
            .iter()
            .find(|(i, _, _)| i64::from(*i) == index)
            .map(|(_, n, _)| n.as_str())
    }

    fn flags(&self, index: i64) -> Option<u32> {
        self.0
            .iter()
            .find(|(i, _, _)| i64::from(*i) == index)
            .map(|(_, _, f)| *f)
    }
}

/// The flag names `ip` prints, with `M-DOWN` added when the lower link
/// (`IFLA_LINK`: a veth's peer, a macvlan's device) is in this namespace
/// and down.
fn flag_list(l: &Link<'_>, names: &Names) -> Vec<String> {
    let mut flags: Vec<String> = l.flags().ip_names().map(str::to_owned).collect();
    let unknown = l.flags().ip_unknown();
    if unknown != 0 {
        flags.push(format!("{unknown:x}"));
    }
    if let Some(Lower::Name(_, lower_flags)) = lower(l, names) {
        if lower_flags & IfFlags::UP == 0 {
            flags.push("M-DOWN".to_owned());
        }
    }
    flags
}

/// The peer or lower link: its name when it is in this namespace.
enum Lower<'n> {
    /// `IFLA_LINK` is 0.
    None,
    /// In this namespace: name and flags.
    Name(&'n str, u32),
    /// Elsewhere, or unknown.
    Index(i32),
}

fn lower<'n>(l: &Link<'_>, names: &'n Names) -> Option<Lower<'n>> {
    let link = l.attrs.get(LinkAttrs::LINK)?;
    if link == 0 {
        return Some(Lower::None);
    }
    if link == l.index() {
        return None;
    }
    if l.attrs.has(LinkAttrs::LINK_NETNSID) {
        return Some(Lower::Index(link));
    }
    Some(
        match (names.name(i64::from(link)), names.flags(i64::from(link))) {
            (Some(name), Some(flags)) => Lower::Name(name, flags),
            _ => Lower::Index(link),
        },
    )
}

/// Writes one link like `ip link show` (without the trailing newline);
/// `ip addr show` leaves the link mode out (`with_mode` false).
pub(crate) fn write_text(
    out: &mut impl Write,
    l: &Link<'_>,
    names: &Names,
    with_mode: bool,
) -> Result<(), Fail> {
    write!(out, "{}: {}", l.index(), l.name())?;
    match lower(l, names) {
        Some(Lower::None) => write!(out, "@NONE")?,
        Some(Lower::Name(n, _)) => write!(out, "@{n}")?,
        Some(Lower::Index(i)) => write!(out, "@if{i}")?,
        None => {}
    }
    write!(out, ": <{}>", flag_list(l, names).join(","))?;
    if let Some(mtu) = l.mtu() {
        write!(out, " mtu {mtu}")?;
    }
    if let Some(qdisc) = l.attrs.get(LinkAttrs::QDISC) {
        write!(out, " qdisc {qdisc}")?;
    }
    if let Some(master) = l.master() {
        match names.name(i64::from(master)) {
            Some(n) => write!(out, " master {n}")?,
            None => write!(out, " master if{master}")?,
        }
    }
    if let Some(state) = l.operstate() {
        write!(out, " state {state}")?;
    }
    if let Some(mode) = l.linkmode().filter(|_| with_mode) {
        write!(out, " mode {mode}")?;
    }
    match l.attrs.get(LinkAttrs::GROUP) {
        Some(0) => write!(out, " group default")?,
        Some(g) => write!(out, " group {g}")?,
        None => {}
    }
    if let Some(q) = l.attrs.get(LinkAttrs::TXQLEN) {
        write!(out, " qlen {q}")?;
    }
    write!(out, "\n    link/")?;
    match link_type_name(l.link_type()) {
        Some(t) => write!(out, "{t}")?,
        None => write!(out, "[{}]", l.link_type())?,
    }
    if let Some(a) = l.address() {
        write!(out, " {}", HwAddr(a))?;
    }
    if let Some(b) = l.broadcast() {
        write!(out, " brd {}", HwAddr(b))?;
    }
    if let Some(id) = l.attrs.get(LinkAttrs::LINK_NETNSID) {
        write!(out, " link-netnsid {id}")?;
    }
    for alt in l.alt_names()? {
        write!(out, "\n    altname {alt}")?;
    }
    Ok(())
}

/// The keys `ip -j -d link show` prints for one link.
pub(crate) fn to_json(l: &Link<'_>, names: &Names) -> Result<Map<String, Value>, Fail> {
    let mut m = Map::new();
    m.insert("ifindex".into(), json!(l.index()));
    match lower(l, names) {
        Some(Lower::None) => {
            m.insert("link".into(), Value::Null);
        }
        Some(Lower::Name(n, _)) => {
            m.insert("link".into(), json!(n));
        }
        Some(Lower::Index(i)) => {
            m.insert("link_index".into(), json!(i));
        }
        None => {}
    }
    m.insert("ifname".into(), json!(l.name().to_string()));
    m.insert("flags".into(), json!(flag_list(l, names)));
    if let Some(mtu) = l.mtu() {
        m.insert("mtu".into(), json!(mtu));
    }
    if let Some(q) = l.attrs.get(LinkAttrs::QDISC) {
        m.insert("qdisc".into(), json!(q.to_string()));
    }
    if let Some(master) = l.master() {
        if let Some(n) = names.name(i64::from(master)) {
            m.insert("master".into(), json!(n));
        }
    }
    if let Some(s) = l.operstate() {
        m.insert("operstate".into(), json!(s.to_string()));
    }
    if let Some(mode) = l.linkmode() {
        m.insert("linkmode".into(), json!(mode.to_string()));
    }
    match l.attrs.get(LinkAttrs::GROUP) {
        Some(0) => {
            m.insert("group".into(), json!("default"));
        }
        Some(g) => {
            m.insert("group".into(), json!(g.to_string()));
        }
        None => {}
    }
    if let Some(q) = l.attrs.get(LinkAttrs::TXQLEN) {
        m.insert("txqlen".into(), json!(q));
    }
    let link_type = match link_type_name(l.link_type()) {
        Some(t) => t.to_owned(),
        None => format!("[{}]", l.link_type()),
    };
    m.insert("link_type".into(), json!(link_type));
    if let Some(a) = l.address() {
        m.insert("address".into(), json!(HwAddr(a).to_string()));
    }
    if let Some(b) = l.broadcast() {
        m.insert("broadcast".into(), json!(HwAddr(b).to_string()));
    }
    if let Some(p) = l.attrs.get(LinkAttrs::PERM_ADDRESS) {
        m.insert("permaddr".into(), json!(HwAddr(p).to_string()));
    }
    if let Some(id) = l.attrs.get(LinkAttrs::LINK_NETNSID) {
        m.insert("link_netnsid".into(), json!(id));
    }
    let numbers = [
        ("promiscuity", LinkAttrs::PROMISCUITY),
        ("allmulti", LinkAttrs::ALLMULTI),
        ("min_mtu", LinkAttrs::MIN_MTU),
        ("max_mtu", LinkAttrs::MAX_MTU),
        ("num_tx_queues", LinkAttrs::NUM_TX_QUEUES),
        ("num_rx_queues", LinkAttrs::NUM_RX_QUEUES),
        ("gso_max_size", LinkAttrs::GSO_MAX_SIZE),
        ("gso_max_segs", LinkAttrs::GSO_MAX_SEGS),
        ("tso_max_size", LinkAttrs::TSO_MAX_SIZE),
        ("tso_max_segs", LinkAttrs::TSO_MAX_SEGS),
        ("gro_max_size", LinkAttrs::GRO_MAX_SIZE),
    ];
    for (key, field) in numbers {
        if let Some(v) = l.attrs.get(field) {
            m.insert(key.into(), json!(v));
        }
    }
    if let Some(info) = l.linkinfo()? {
        let mut i = Map::new();
        if let Some(kind) = info.kind() {
            i.insert("info_kind".into(), json!(kind.to_string()));
        }
        if let Some(data) = info.data()? {
            i.insert("info_data".into(), Value::Object(data_json(&data)));
        }
        if let Some(kind) = info.slave_kind() {
            i.insert("info_slave_kind".into(), json!(kind.to_string()));
        }
        m.insert("linkinfo".into(), Value::Object(i));
    }
    let alt: Vec<String> = l.alt_names()?.map(|n| n.to_string()).collect();
    if !alt.is_empty() {
        m.insert("altnames".into(), json!(alt));
    }
    Ok(m)
}

/// The `info_data` keys `ip -j -d` prints for the kinds decoded here.
fn data_json(data: &LinkData<'_>) -> Map<String, Value> {
    let mut m = Map::new();
    match data {
        LinkData::Bridge(b) => {
            let u32s = [
                ("forward_delay", BridgeAttrs::FORWARD_DELAY),
                ("hello_time", BridgeAttrs::HELLO_TIME),
                ("max_age", BridgeAttrs::MAX_AGE),
                ("ageing_time", BridgeAttrs::AGEING_TIME),
                ("stp_state", BridgeAttrs::STP_STATE),
                ("root_path_cost", BridgeAttrs::ROOT_PATH_COST),
            ];
            for (key, field) in u32s {
                if let Some(v) = b.get(field) {
                    m.insert(key.into(), json!(v));
                }
            }
            if let Some(v) = b.get(BridgeAttrs::PRIORITY) {
                m.insert("priority".into(), json!(v));
            }
            if let Some(v) = b.get(BridgeAttrs::VLAN_FILTERING) {
                m.insert("vlan_filtering".into(), json!(v));
            }
            if let Some(v) = b.get(BridgeAttrs::ROOT_PORT) {
                m.insert("root_port".into(), json!(v));
            }
        }
        LinkData::Vxlan(v) => {
            if let Some(id) = v.get(VxlanAttrs::ID) {
                m.insert("id".into(), json!(id));
            }
            if let Some(port) = v.get(VxlanAttrs::PORT) {
                m.insert("port".into(), json!(port));
            }
            if let Some(ttl) = v.get(VxlanAttrs::TTL) {
                m.insert("ttl".into(), json!(ttl));
            }
            if let Some(ageing) = v.get(VxlanAttrs::AGEING) {
                m.insert("ageing".into(), json!(ageing));
            }
            if let Some(learning) = v.get(VxlanAttrs::LEARNING) {
                m.insert("learning".into(), json!(learning != 0));
            }
        }
        LinkData::Macvlan(v) => {
            if let Some(mode) = v.get(MacvlanAttrs::MODE) {
                m.insert("mode".into(), json!(MacvlanMode::from(mode).to_string()));
            }
        }
        LinkData::Veth(_) | LinkData::Other(_) => {}
    }
    m
}

fn show(out: &mut impl Write, dev: Option<&str>, json: bool) -> Result<(), Fail> {
    let mut socket = Nl::open(Protocol::Route)?;
    let links = dump_all(&mut socket)?;
    let names = Names::of(&links)?;
    let mut rows = Vec::new();
    for owned in &links {
        let l = owned.view()?;
        if dev.is_some_and(|d| l.name() != d) {
            continue;
        }
        if json {
            rows.push(Value::Object(to_json(&l, &names)?));
        } else {
            write_text(out, &l, &names, true)?;
            writeln!(out)?;
        }
    }
    if let Some(d) = dev {
        if !links.iter().any(|o| o.view().is_ok_and(|l| l.name() == d)) {
            // Ask the kernel by name, for its own error (ENODEV).
            index_of(&mut socket, d)?;
        }
    }
    if json {
        serde_json::to_writer(&mut *out, &Value::Array(rows)).map_err(std::io::Error::from)?;
        writeln!(out)?;
    }
    Ok(())
}

fn set(name: &str, args: &[&str]) -> Result<(), Fail> {
    let mut socket = Nl::open(Protocol::Route)?;
    let mut change = LinkChange::default();
    let mut args = args.iter();
    let mut master_name = None;
    while let Some(arg) = args.next() {
        match *arg {
            "up" => change.up = Some(true),
            "down" => change.up = Some(false),
            "mtu" => {
                let mtu = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .ok_or(Fail::Usage)?;
                change.mtu = Some(mtu);
            }
            "name" => change.name = Some(args.next().ok_or(Fail::Usage)?),
            "master" => master_name = Some(*args.next().ok_or(Fail::Usage)?),
            "nomaster" => change.master = Some(0),
            _ => return Err(Fail::Usage),
        }
    }
    if let Some(master) = master_name {
        change.master = Some(index_of(&mut socket, master)?.unsigned_abs());
    }
    let index = index_of(&mut socket, name)?;
    let mut buf = [0u8; 128];
    let request = link::set_link(&mut buf, socket.next_seq(), index, &change)?;
    socket.request(request, Some(link::layout()))?;
    Ok(())
}

fn add(name: &str, args: &[&str]) -> Result<(), Fail> {
    let mut socket = Nl::open(Protocol::Route)?;
    let kind = match args {
        ["veth", "peer", "name", peer] | ["veth", "peer", peer] => NewKind::Veth { peer },
        ["bridge"] => NewKind::Bridge,
        ["vxlan", "id", id, rest @ ..] => {
            let id = id.parse().map_err(|_| Fail::Usage)?;
            let (mut port, mut dev) = (None, None);
            let mut it = rest.iter();
            while let Some(arg) = it.next() {
                let value = it.next().ok_or(Fail::Usage)?;
                match *arg {
                    "dstport" => port = Some(value.parse().map_err(|_| Fail::Usage)?),
                    "dev" => dev = Some(index_of(&mut socket, value)?.unsigned_abs()),
                    _ => return Err(Fail::Usage),
                }
            }
            NewKind::Vxlan {
                id,
                port,
                link: dev,
            }
        }
        ["macvlan", "link", dev, "mode", mode] => {
            let mode = MacvlanMode::from_name(mode).ok_or(Fail::Usage)?;
            NewKind::Macvlan {
                link: index_of(&mut socket, dev)?,
                mode,
            }
        }
        _ => return Err(Fail::Usage),
    };
    let mut buf = [0u8; 256];
    let request = link::new_link(
        &mut buf,
        socket.next_seq(),
        Flags::CREATE | Flags::EXCL,
        &NewLink::new(name, kind),
    )?;
    socket.request(request, Some(link::layout()))?;
    Ok(())
}

fn del(name: &str) -> Result<(), Fail> {
    let mut socket = Nl::open(Protocol::Route)?;
    let mut buf = [0u8; 64];
    let request = link::del_link(&mut buf, socket.next_seq(), LinkRef::Name(name))?;
    socket.request(request, Some(link::layout()))?;
    Ok(())
}
