//! `nl monitor [link|addr|route|neigh|rule|mptcp|conntrack]...`: notifications as
//! they arrive, like `ip monitor` (`Deleted ` before a removal),
//! `ip mptcp monitor` and `conntrack -E` (`[NEW] ...`), or with `-j` one JSON object per line: the keys the
//! `show` commands print, plus `"event"` (`newlink`, `deladdr`…; MPTCP
//! events: `"event": "created"`… and the event's attributes by their spec
//! names). Runs until interrupted; each event is flushed as it is printed.
//! As in `ip monitor`, neighbour entries in state NOARP (fixed multicast
//! mappings) are left out.
//!
//! Each source of events (rtnetlink, mptcp_pm, ctnetlink) reads its own
//! socket on its own thread and sends finished lines to the printing
//! thread, so sources never wait on each other.

use std::collections::{HashMap, HashSet};
use std::io::{self, Write};
use std::net::SocketAddr;
use std::ops::ControlFlow;
use std::sync::mpsc::{self, Sender};
use std::thread;

use nl_uring::mptcp::MptcpPm;
use nl_uring::nl_core::mptcp::Event;
use nl_uring::nl_core::route::event::RouteEvent;
use nl_uring::nl_core::route::neigh::NudState;
use nl_uring::{Error, GenlFamilies, Protocol, RouteGroup};
use serde_json::{Map, Value, json};

use crate::Fail;
use crate::addr::addr_json;
use crate::link::{self, Names, dump_all, write_text};
use crate::neigh;
use crate::route::route_json;
use crate::rule;
use crate::transport::Nl;

/// Receive queue asked for (root may go past `rmem_max`): room for
/// bursts, such as a link going away with all its routes.
const QUEUE: usize = 1 << 20;

/// Where events come from; each runs on its own socket and thread.
enum Source {
    /// rtnetlink, with the groups of the topics asked for.
    Route(Vec<RouteGroup>),
    /// mptcp_pm's event group.
    Mptcp,
    /// ctnetlink's NEW, UPDATE and DESTROY groups.
    Conntrack,
}

/// The topic words on the command line, grouped by source; none means
/// every topic but `conntrack` (joining its groups needs `CAP_NET_ADMIN`,
/// and `nl monitor` works unprivileged), which is only read when named.
fn sources(args: &[&str]) -> Result<Vec<Source>, Fail> {
    let words: &[&str] = if args.is_empty() { &["all"] } else { args };
    let mut route = Vec::new();
    let mut mptcp = false;
    let mut conntrack = false;
    for word in words {
        let groups: &[RouteGroup] = match *word {
            "all" => {
                mptcp = true;
                &RouteGroup::ALL
            }
            "mptcp" => {
                mptcp = true;
                continue;
            }
            "conntrack" => {
                conntrack = true;
                continue;
            }
            topic => RouteGroup::for_topic(topic).ok_or(Fail::Usage)?,
        };
        for g in groups {
            if !route.contains(g) {
                route.push(*g);
            }
        }
    }
    let mut sources = Vec::new();
    if !route.is_empty() {
        sources.push(Source::Route(route));
    }
    if mptcp {
        sources.push(Source::Mptcp);
    }
    if conntrack {
        sources.push(Source::Conntrack);
    }
    Ok(sources)
}

/// Runs `nl monitor ARGS`.
pub(crate) fn run(out: &mut impl Write, args: &[&str], json: bool) -> Result<(), Fail> {
    let sources = sources(args)?;
    let (tx, rx) = mpsc::channel::<Result<String, Fail>>();
    for source in sources {
        let tx = tx.clone();
        thread::spawn(move || {
            let result = match source {
                Source::Route(groups) => route_lines(&groups, json, &tx),
                Source::Mptcp => mptcp_lines(json, &tx),
                Source::Conntrack => conntrack_lines(json, &tx),
            };
            // A source ends only by failing: hand its error over.
            if let Err(e) = result {
                let _ = tx.send(Err(e));
            }
        });
    }
    drop(tx);
    for line in rx {
        out.write_all(line?.as_bytes())?;
        out.flush()?;
    }
    Ok(())
}

/// The printing thread has gone (its output failed): stop reading.
fn gone<T>(_: T) -> Fail {
    Fail::Io(io::ErrorKind::BrokenPipe.into())
}

/// Reads rtnetlink events on `groups` forever, sending one formatted line
/// (or two, for links and addresses as `ip` prints them) per event.
fn route_lines(
    groups: &[RouteGroup],
    json: bool,
    tx: &Sender<Result<String, Fail>>,
) -> Result<(), Fail> {
    let mut listener = Nl::open(Protocol::Route)?;
    let socket = listener.socket();
    socket.join_route_groups(groups)?;
    if socket.force_recv_queue_size(QUEUE).is_err() {
        socket.set_recv_queue_size(QUEUE)?;
    }
    // Interface names come from dumps on a second socket, so replies
    // never mix with events.
    let mut lookup = Nl::open(Protocol::Route)?;
    let mut names = LinkNames::dump(&mut lookup)?;
    loop {
        let result = listener.events_with(None, |m| {
            let event = RouteEvent::parse(&m)?;
            // Like `ip monitor` (and `nl neigh show`): NOARP entries, the
            // fixed multicast mappings, are left out.
            if let RouteEvent::NewNeigh(n) | RouteEvent::DelNeigh(n) = &event {
                if n.state().contains(NudState::NOARP) {
                    return Ok(ControlFlow::Continue(()));
                }
            }
            if matches!(event, RouteEvent::NewLink(_))
                || event.ifindex().is_some_and(|i| names.unknown(i))
            {
                names.refresh(&mut lookup)?;
            }
            let line = if json {
                let mut object = event_json(&event, &names)?;
                object.insert("event".into(), json!(event.name()));
                let mut line = serde_json::to_string(&object).map_err(io::Error::from)?;
                line.push('\n');
                line
            } else {
                event_text(&event, &names)?
            };
            tx.send(Ok(line)).map_err(gone)?;
            Ok::<_, Fail>(ControlFlow::Continue(()))
        });
        match result {
            // Events were lost; say so and go on (names may be stale).
            Err(Fail::Nl(Error::Overrun)) => {
                eprintln!("nl monitor: the kernel dropped events (receive queue overrun)");
                names.refresh(&mut lookup)?;
            }
            Err(e) => return Err(e),
            Ok(_) => {}
        }
    }
}

/// Reads mptcp_pm events forever, one line per event: `ip mptcp
/// monitor`'s text, or JSON.
fn mptcp_lines(json: bool, tx: &Sender<Result<String, Fail>>) -> Result<(), Fail> {
    let mut listener = Nl::open(Protocol::Generic)?;
    let pm = MptcpPm::resolve(listener.socket(), &mut GenlFamilies::new())?;
    pm.join_events(listener.socket())?;
    loop {
        let (ring, socket) = listener.parts();
        let result = ring.mptcp_events(socket, None, |event| {
            let line = if json {
                let mut line = Value::Object(mptcp_json(&event)).to_string();
                line.push('\n');
                line
            } else {
                format!("{event}\n")
            };
            match tx.send(Ok(line)) {
                Ok(()) => ControlFlow::Continue(()),
                Err(_) => ControlFlow::Break(()),
            }
        });
        match result {
            Err(Error::Overrun) => {
                eprintln!("nl monitor: the kernel dropped MPTCP events (receive queue overrun)");
            }
            Err(e) => return Err(e.into()),
            // Stopped: the printing thread has gone.
            Ok(_) => return Err(gone(())),
        }
    }
}

/// Reads conntrack events forever, one line per event: `[NEW] ...` as
/// `conntrack -E` prints it, or JSON (see `nl conntrack monitor`).
fn conntrack_lines(json: bool, tx: &Sender<Result<String, Fail>>) -> Result<(), Fail> {
    let mut listener = Nl::open(Protocol::Netfilter)?;
    let (ring, socket) = listener.parts();
    nl_uring::conntrack::join_events(socket, &nl_uring::conntrack::Group::ALL)?;
    if socket.force_recv_queue_size(QUEUE).is_err() {
        socket.set_recv_queue_size(QUEUE)?;
    }
    loop {
        let mut failed = None;
        let result = ring.conntrack_events(socket, None, |event| {
            let sent = crate::conntrack::event_line(&event, json)
                .and_then(|line| tx.send(Ok(line)).map_err(gone));
            match sent {
                Ok(()) => ControlFlow::Continue(()),
                Err(e) => {
                    failed = Some(e);
                    ControlFlow::Break(())
                }
            }
        });
        if let Some(e) = failed {
            return Err(e);
        }
        match result {
            Err(Error::Overrun) => {
                eprintln!(
                    "nl monitor: the kernel dropped conntrack events (receive queue overrun)"
                );
            }
            Err(e) => return Err(e.into()),
            Ok(_) => {}
        }
    }
}

/// An MPTCP event as JSON: `"event"`, then its attributes by their names
/// in the spec's `event-attr` set (addresses as `saddr`/`daddr`).
fn mptcp_json(event: &Event) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("event".into(), json!(event.event_type().to_string()));
    let both = |m: &mut Map<String, Value>, local: SocketAddr, remote: SocketAddr| {
        m.insert("saddr".into(), json!(local.ip().to_string()));
        m.insert("sport".into(), json!(local.port()));
        m.insert("daddr".into(), json!(remote.ip().to_string()));
        m.insert("dport".into(), json!(remote.port()));
    };
    if let Some(token) = event.token() {
        m.insert("token".into(), json!(token));
    }
    match event {
        Event::Created(c) | Event::Established(c) => {
            both(&mut m, c.local, c.remote);
            m.insert("server-side".into(), json!(c.server_side));
        }
        Event::Announced {
            rem_id, addr, port, ..
        } => {
            m.insert("rem-id".into(), json!(rem_id));
            m.insert("daddr".into(), json!(addr.to_string()));
            if let Some(port) = port {
                m.insert("dport".into(), json!(port));
            }
        }
        Event::Removed { rem_id, .. } => {
            m.insert("rem-id".into(), json!(rem_id));
        }
        Event::SubEstablished(s) | Event::SubClosed(s) | Event::SubPriority(s) => {
            m.insert("loc-id".into(), json!(s.loc_id));
            m.insert("rem-id".into(), json!(s.rem_id));
            both(&mut m, s.local, s.remote);
            m.insert("backup".into(), json!(s.backup));
            if let Some(index) = s.ifindex {
                m.insert("if_idx".into(), json!(index));
            }
            if let Some(error) = s.error {
                m.insert("error".into(), json!(error));
            }
        }
        Event::ListenerCreated(l) | Event::ListenerClosed(l) => {
            m.insert("saddr".into(), json!(l.local.ip().to_string()));
            m.insert("sport".into(), json!(l.local.port()));
        }
        Event::Closed { .. } | Event::Unknown { .. } => {}
    }
    m
}

/// Interface names, from a link dump; refreshed when a link appears or an
/// unknown index turns up (once per index).
struct LinkNames {
    links: Names,
    by_index: HashMap<u32, String>,
    /// Indexes a refresh did not find (deleted links): not asked again.
    missing: HashSet<u32>,
}

impl LinkNames {
    fn dump(lookup: &mut Nl) -> Result<LinkNames, Fail> {
        let owned = dump_all(lookup)?;
        let mut by_index = HashMap::new();
        for l in &owned {
            let l = l.view()?;
            by_index.insert(l.index().unsigned_abs(), l.name().to_string());
        }
        Ok(LinkNames {
            links: Names::of(&owned)?,
            by_index,
            missing: HashSet::new(),
        })
    }

    /// Dumps the links again. Names of links gone from the dump are kept
    /// (a link being deleted leaves the dump before its addresses and
    /// routes are withdrawn); indexes already looked for stay so.
    fn refresh(&mut self, lookup: &mut Nl) -> Result<(), Fail> {
        let mut fresh = LinkNames::dump(lookup)?;
        for (index, name) in self.by_index.drain() {
            fresh.by_index.entry(index).or_insert(name);
        }
        fresh.missing = std::mem::take(&mut self.missing);
        *self = fresh;
        Ok(())
    }

    /// Not known and not looked for yet; remembers the look.
    fn unknown(&mut self, index: u32) -> bool {
        !self.by_index.contains_key(&index) && self.missing.insert(index)
    }

    fn name(&self, index: u32) -> String {
        self.by_index
            .get(&index)
            .cloned()
            .unwrap_or_else(|| format!("if{index}"))
    }
}

/// The event like `ip monitor` prints it, ending with a newline.
fn event_text(event: &RouteEvent<'_>, names: &LinkNames) -> Result<String, Fail> {
    let mut text = String::new();
    if event.is_delete() {
        text.push_str("Deleted ");
    }
    match event {
        RouteEvent::NewLink(l) | RouteEvent::DelLink(l) => {
            let mut bytes = Vec::new();
            write_text(&mut bytes, l, &names.links, false)?;
            text.push_str(&String::from_utf8_lossy(&bytes));
        }
        RouteEvent::NewAddr(a) | RouteEvent::DelAddr(a) => {
            // `ip` indents the lifetimes under the address.
            let addr = a.to_string().replace('\n', "\n    ");
            text += &format!("{}: {}    {addr}", a.index(), names.name(a.index()));
        }
        RouteEvent::NewRoute(r) | RouteEvent::DelRoute(r) => {
            let shown =
                r.display_with(|index, f| names.by_index.get(&index).map(|name| f.write_str(name)));
            text += &shown.to_string();
        }
        RouteEvent::NewNeigh(n) | RouteEvent::DelNeigh(n) => {
            let dev = names.name(n.ifindex().unsigned_abs());
            n.write_text(&mut text, Some(&dev))
                .map_err(io::Error::other)?;
        }
        RouteEvent::NewRule(r) | RouteEvent::DelRule(r) => text += &r.to_string(),
    }
    text.push('\n');
    Ok(text)
}

/// The event as the matching `show -j` command prints the object.
fn event_json(event: &RouteEvent<'_>, names: &LinkNames) -> Result<Map<String, Value>, Fail> {
    Ok(match event {
        RouteEvent::NewLink(l) | RouteEvent::DelLink(l) => link::to_json(l, &names.links)?,
        RouteEvent::NewAddr(a) | RouteEvent::DelAddr(a) => {
            let mut m = Map::new();
            m.insert("ifindex".into(), json!(a.index()));
            if let Some(name) = names.by_index.get(&a.index()) {
                m.insert("ifname".into(), json!(name));
            }
            m.insert("addr_info".into(), json!([addr_json(a)]));
            m
        }
        RouteEvent::NewRoute(r) | RouteEvent::DelRoute(r) => {
            serde_json::from_str(&route_json(r, &names.by_index, true)).map_err(io::Error::from)?
        }
        RouteEvent::NewNeigh(n) | RouteEvent::DelNeigh(n) => {
            let index = n.ifindex().unsigned_abs();
            let mut m = neigh::to_json(n, Some(&names.name(index)));
            m.insert("ifindex".into(), json!(index));
            m
        }
        RouteEvent::NewRule(r) | RouteEvent::DelRule(r) => rule::to_json(r),
    })
}
