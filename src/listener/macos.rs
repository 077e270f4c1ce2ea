//! macOS: `/usr/sbin/lsof` (shipped with macOS) lists the listeners on a port with their PIDs and
//! users: `-F pcun` gives one field per line (`p` PID, `c` command, `u` uid, `n` address).

use std::process::Command;

use super::Holder;

pub fn holders(
    port: u16,
    _first: &[u32],
    _enough: &dyn Fn(&Holder) -> bool,
) -> Result<Option<Vec<Holder>>, String> {
    let out = Command::new("/usr/sbin/lsof")
        .args([
            "-nP",
            &format!("-iTCP:{port}"),
            "-sTCP:LISTEN",
            "-F",
            "pcun",
        ])
        .output()
        .map_err(|e| format!("/usr/sbin/lsof: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut found = Vec::new();
    let mut cur = Holder {
        pid: 0,
        uid: None,
        name: None,
        same_user: false,
    };
    for line in text.lines() {
        let (tag, value) = line.split_at(line.len().min(1));
        match tag {
            "p" => {
                cur = Holder {
                    pid: value.parse().unwrap_or(0),
                    uid: None,
                    name: None,
                    same_user: false,
                }
            }
            "c" => cur.name = Some(value.to_string()),
            "u" => cur.uid = value.parse().ok(),
            "n" => {
                let reachable = value.starts_with("127.0.0.1:")
                    || value.starts_with("*:")
                    || value.starts_with("[::ffff:127.0.0.1]:");
                if reachable && cur.pid != 0 && !found.contains(&cur) {
                    found.push(cur.clone());
                }
            }
            _ => {}
        }
    }
    // lsof exits 1 when it finds nothing (also when it may not look: the probe, connected, then
    // treats "nothing" as a listener it cannot see).
    Ok((!found.is_empty()).then_some(found))
}
