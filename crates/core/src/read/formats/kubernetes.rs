//! Kubernetes health text (`/readyz?verbose`, `/livez?verbose`, `/healthz`): one line per check,
//! `[+]name ok` or `[-]name failed: reason withheld`, then `readyz check passed` or
//! `readyz check failed`; without `verbose` the body is just `ok`.

use crate::read::{clip, fold_parts, reconcile_http, Problem, Reader, Reading, Sheet};
use crate::status::Status;

const SHAPE: &str = "Kubernetes health text";

/// The most lines read; an API server has a few dozen checks.
const LINE_LIMIT: usize = 500;

/// Reads Kubernetes health text, or `None` when `body` is not in that form. With `explicit`
/// (the endpoint's format says kubernetes), a bare `ok` body is accepted too.
pub(crate) fn read_text(reader: &Reader, body: &str, explicit: bool) -> Option<Reading> {
    let body = body.trim();
    if explicit && body == "ok" {
        let finding = reader.finding(Status::Operational, "ok", "", body);
        let sheet = Sheet::default();
        return Some(sheet.finish(reconcile_http(reader, finding), SHAPE));
    }
    let mut sheet = Sheet::default();
    let mut verdict: Option<(bool, &str)> = None;
    let mut checks = 0;
    let mut other_lines = 0;
    for (index, line) in body.lines().take(LINE_LIMIT).enumerate() {
        let line = line.trim();
        let pointer = format!("line {}", index + 1);
        if let Some((passed, rest)) = line
            .strip_prefix("[+]")
            .map(|rest| (true, rest))
            .or_else(|| line.strip_prefix("[-]").map(|rest| (false, rest)))
        {
            checks += 1;
            let (name, said) = rest.split_once(' ').unwrap_or((rest, ""));
            let said = said.trim();
            let finding = if passed {
                let reason = if said.is_empty() { "ok" } else { said };
                reader.finding(
                    Status::Operational,
                    format!("{name}: {}", clip(reason)),
                    &pointer,
                    line,
                )
            } else {
                let why = said
                    .strip_prefix("failed")
                    .unwrap_or(said)
                    .trim_start_matches(':')
                    .trim();
                let reason = if why.is_empty() {
                    format!("{name}: failed")
                } else {
                    format!("{name}: failed: {}", clip(why))
                };
                reader.finding(Status::MajorOutage, reason, &pointer, line)
            };
            sheet.part(name, finding);
        } else if let Some(which) = line.strip_suffix(" check passed") {
            verdict = Some((true, which));
        } else if let Some(which) = line.strip_suffix(" check failed") {
            verdict = Some((false, which));
        } else if !line.is_empty() {
            other_lines += 1;
        }
    }
    if checks == 0 && verdict.is_none() {
        return None;
    }
    if other_lines > 0 {
        sheet.note(format!(
            "{other_lines} lines were not check lines and were skipped"
        ));
    }
    let failed: Vec<String> = sheet
        .parts
        .iter()
        .filter(|(_, p)| p.status == Status::MajorOutage)
        .map(|(name, _)| name.clone())
        .take(6)
        .collect();
    let overall = match verdict {
        Some((true, which)) => {
            let finding = reader.finding(
                Status::Operational,
                format!("{which} check passed"),
                "last line",
                &format!("{which} check passed"),
            );
            fold_parts(finding, &sheet.parts)
        }
        Some((false, which)) => {
            let mut reason = format!("{which} check failed");
            if !failed.is_empty() {
                reason.push_str(&format!(": {}", failed.join(", ")));
            }
            reader.finding(
                Status::MajorOutage,
                reason,
                "last line",
                &format!("{which} check failed"),
            )
        }
        None => {
            // Without the verdict line the text may be cut short; the checks still speak.
            sheet.problem = Some(Problem::UnexpectedShape);
            let (status, reason) = if failed.is_empty() {
                (
                    Status::Unknown,
                    format!("{checks} checks ok but no verdict line (the text may be cut short)"),
                )
            } else {
                (
                    Status::MajorOutage,
                    format!("no verdict line, failed: {}", failed.join(", ")),
                )
            };
            reader.finding(status, reason, "", "")
        }
    };
    Some(sheet.finish(reconcile_http(reader, overall), SHAPE))
}
