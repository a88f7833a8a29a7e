//! The results of `nl-bench run`: a markdown table for people, JSON for
//! scripts.

use serde_json::{Value, json};

use crate::measure::{Measured, Spread};

/// One scenario: methods measured on the same work, the first the base the
/// others are compared with (the floor, or the sequential case).
#[derive(Debug)]
pub(crate) struct Scenario {
    /// What was done, e.g. `dump 1000000 IPv4 routes`.
    pub(crate) name: String,
    /// Messages each run must see (routes, entries).
    pub(crate) expected: usize,
    /// The methods, base first.
    pub(crate) rows: Vec<Row>,
}

/// One method's runs in a scenario.
#[derive(Debug)]
pub(crate) struct Row {
    /// The method, e.g. `ring` or `ip -batch`.
    pub(crate) method: String,
    /// Every run, in order.
    pub(crate) runs: Vec<Measured>,
}

impl Row {
    fn spread(&self) -> Option<Spread> {
        let seconds: Vec<f64> = self.runs.iter().map(|m| m.seconds).collect();
        Spread::of(&seconds)
    }

    /// `ok`, or what went wrong in any run: errors, or a message count
    /// other than `expected`.
    fn check(&self, expected: usize) -> String {
        let errors: usize = self.runs.iter().map(|m| m.errors).sum();
        let wrong: Vec<String> = self
            .runs
            .iter()
            .filter(|m| m.messages != expected)
            .map(|m| m.messages.to_string())
            .collect();
        match (errors, wrong.is_empty()) {
            (0, true) => "ok".to_owned(),
            (e, true) => format!("{e} errors"),
            (e, false) => format!("{e} errors; saw {} messages", wrong.join(", ")),
        }
    }
}

impl Scenario {
    /// A scenario with no runs yet of the `methods`, base first.
    pub(crate) fn new(name: String, expected: usize, methods: &[&str]) -> Scenario {
        let rows = methods
            .iter()
            .map(|m| Row {
                method: (*m).to_owned(),
                runs: Vec::new(),
            })
            .collect();
        Scenario {
            name,
            expected,
            rows,
        }
    }

    /// Records one run of `method`.
    pub(crate) fn record(&mut self, method: &str, measured: Measured) {
        if let Some(row) = self.rows.iter_mut().find(|r| r.method == method) {
            row.runs.push(measured);
        }
    }

    fn base_median(&self) -> Option<f64> {
        Some(self.rows.first()?.spread()?.median)
    }
}

/// The markdown table: median, min–max and ratio to the scenario's base.
pub(crate) fn markdown(scenarios: &[Scenario]) -> String {
    let mut out = String::from(
        "| scenario | method | median s | min–max s | × base | messages/s | check |\n\
         |---|---|---:|---:|---:|---:|---|\n",
    );
    for scenario in scenarios {
        let base = scenario.base_median();
        for row in &scenario.rows {
            let Some(spread) = row.spread() else { continue };
            let ratio = base.map_or(f64::NAN, |b| spread.median / b);
            let rate = scenario.expected as f64 / spread.median;
            out += &format!(
                "| {} | {} | {:.3} | {:.3}–{:.3} | {ratio:.2} | {} | {} |\n",
                scenario.name,
                row.method,
                spread.median,
                spread.min,
                spread.max,
                thousands(rate),
                row.check(scenario.expected)
            );
        }
    }
    out
}

/// Everything, with every run's numbers, as JSON.
pub(crate) fn json(scenarios: &[Scenario], config: Value) -> Value {
    let scenarios: Vec<Value> = scenarios
        .iter()
        .map(|scenario| {
            let base = scenario.base_median();
            let rows: Vec<Value> = scenario
                .rows
                .iter()
                .map(|row| {
                    let spread = row.spread();
                    json!({
                        "method": row.method,
                        "median_s": spread.map(|s| s.median),
                        "min_s": spread.map(|s| s.min),
                        "max_s": spread.map(|s| s.max),
                        "ratio_to_base": spread.zip(base).map(|(s, b)| s.median / b),
                        "check": row.check(scenario.expected),
                        "runs": row.runs.iter().map(|m| json!({
                            "seconds": m.seconds,
                            "messages": m.messages,
                            "errors": m.errors,
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect();
            json!({
                "scenario": scenario.name,
                "expected_messages": scenario.expected,
                "base": scenario.rows.first().map(|r| r.method.as_str()),
                "rows": rows,
            })
        })
        .collect();
    json!({ "config": config, "scenarios": scenarios })
}

/// `1234567.8` as `1 234 568`: rates are easier to read grouped.
fn thousands(value: f64) -> String {
    if !value.is_finite() {
        return "–".to_owned();
    }
    let digits = format!("{:.0}", value.max(0.0));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(seconds: f64, messages: usize, errors: usize) -> Measured {
        Measured {
            messages,
            seconds,
            errors,
        }
    }

    #[test]
    fn ratios_are_to_the_first_method_and_checks_name_what_went_wrong() {
        let mut s = Scenario::new("dump 100 routes".into(), 100, &["floor", "ring"]);
        for (floor, ring) in [(1.0, 1.5), (2.0, 2.5), (3.0, 3.5)] {
            s.record("floor", run(floor, 100, 0));
            s.record("ring", run(ring, 100, 0));
        }
        s.record("ring", run(9.0, 99, 1));
        let table = markdown(&[s]);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 4, "{table}");
        assert_eq!(
            lines[2],
            "| dump 100 routes | floor | 2.000 | 1.000–3.000 | 1.00 | 50 | ok |"
        );
        // Four ring runs: the upper median is 3.5.
        assert_eq!(
            lines[3],
            "| dump 100 routes | ring | 3.500 | 1.500–9.000 | 1.75 | 29 | 1 errors; saw 99 messages |"
        );
    }

    #[test]
    fn json_keeps_every_run() {
        let mut s = Scenario::new("install 10 routes".into(), 10, &["floor"]);
        s.record("floor", run(0.5, 10, 0));
        s.record("floor", run(0.25, 10, 0));
        let v = json(&[s], json!({"routes": 10}));
        assert_eq!(v["config"]["routes"], 10);
        let row = &v["scenarios"][0]["rows"][0];
        assert_eq!(row["median_s"], 0.5);
        assert_eq!(row["ratio_to_base"], 1.0);
        assert_eq!(row["runs"][1]["seconds"], 0.25);
        assert_eq!(row["check"], "ok");
    }

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(1_234_567.8), "1 234 568");
        assert_eq!(thousands(999.0), "999");
        assert_eq!(thousands(f64::INFINITY), "–");
    }
}
