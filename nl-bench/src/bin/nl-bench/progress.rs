//! A progress bar on stderr for long steps: redrawn in place on a
//! terminal; elsewhere (CI logs, pipes) one line when each step ends.

use std::io::{IsTerminal, Write};
use std::time::Instant;

/// Bar width in characters.
const WIDTH: usize = 30;

/// Progress through `total` units of one step.
pub(crate) struct Progress {
    label: String,
    total: usize,
    done: usize,
    began: Instant,
    terminal: bool,
}

impl Progress {
    /// Starts a step of `total` units.
    pub(crate) fn new(label: impl Into<String>, total: usize) -> Progress {
        let progress = Progress {
            label: label.into(),
            total: total.max(1),
            done: 0,
            began: Instant::now(),
            terminal: std::io::stderr().is_terminal(),
        };
        progress.draw("", false);
        progress
    }

    /// Sets the units done, with a note on what runs now.
    pub(crate) fn set(&mut self, done: usize, note: &str) {
        self.done = done.min(self.total);
        self.draw(note, false);
    }

    /// Ends the step with `summary`.
    pub(crate) fn finish(mut self, summary: &str) {
        self.done = self.total;
        self.draw(summary, true);
    }

    fn draw(&self, note: &str, last: bool) {
        if !self.terminal && !last {
            return;
        }
        let filled = self.done * WIDTH / self.total;
        let bar: String = (0..WIDTH)
            .map(|i| if i < filled { '#' } else { '-' })
            .collect();
        let line = format!(
            "{} [{bar}] {}/{} {:.1} s {note}",
            self.label,
            self.done,
            self.total,
            self.began.elapsed().as_secs_f64()
        );
        let clear = if self.terminal { "\r\x1b[2K" } else { "" };
        let end = if last { "\n" } else { "" };
        let mut err = std::io::stderr().lock();
        // Progress is a courtesy: a closed stderr must not stop the run.
        let _ = write!(err, "{clear}{line}{end}");
        let _ = err.flush();
    }
}
