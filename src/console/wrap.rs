//! Human output fitted to the console: paragraphs wrapped at the console's width by display
//! width (a CJK character takes two columns, and a line may break between two of them), so an
//! 80-column console does not cut words in half. Aligned lines (tables, lists with padded
//! columns) are left as they are: wrapped, they would no longer line up.

/// The width to wrap human output at: `COLUMNS` when set (as clap reads it), else the width of
/// the console or terminal `stdout` (or `stderr`) is; `None` when output goes to a pipe or a file,
/// which is never wrapped.
pub fn width(stderr: bool) -> Option<usize> {
    if let Some(n) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
    {
        return Some(n);
    }
    terminal_width(stderr)
}

#[cfg(unix)]
fn terminal_width(stderr: bool) -> Option<usize> {
    let fd = if stderr {
        libc::STDERR_FILENO
    } else {
        libc::STDOUT_FILENO
    };
    // SAFETY: TIOCGWINSZ writes a winsize into the struct we pass; it fails on a non-terminal.
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    let ok = unsafe { libc::ioctl(fd, libc::TIOCGWINSZ, &mut ws) } == 0;
    (ok && ws.ws_col > 0).then_some(ws.ws_col as usize)
}

#[cfg(windows)]
fn terminal_width(stderr: bool) -> Option<usize> {
    use windows_sys::Win32::System::Console::{
        CONSOLE_SCREEN_BUFFER_INFO, GetConsoleScreenBufferInfo, GetStdHandle, STD_ERROR_HANDLE,
        STD_OUTPUT_HANDLE,
    };
    let id = if stderr {
        STD_ERROR_HANDLE
    } else {
        STD_OUTPUT_HANDLE
    };
    // SAFETY: our own standard handle; the call fails on anything but a console.
    let mut info: CONSOLE_SCREEN_BUFFER_INFO = unsafe { std::mem::zeroed() };
    let ok = unsafe { GetConsoleScreenBufferInfo(GetStdHandle(id), &mut info) } != 0;
    let w = i32::from(info.srWindow.Right) - i32::from(info.srWindow.Left) + 1;
    (ok && w > 0).then_some(w as usize)
}

#[cfg(not(any(unix, windows)))]
fn terminal_width(_: bool) -> Option<usize> {
    None
}

/// `text` wrapped for the console `stdout` (or `stderr`) writes to; unchanged when that is not
/// a console.
pub fn fit(text: &str, stderr: bool) -> String {
    match width(stderr) {
        Some(w) => wrap(text, w),
        None => text.to_string(),
    }
}

/// Every line of `text` wider than `width` wrapped, except those that keep their shape (see
/// [`keeps_its_shape`]).
/// A line is filled up to one column short of the width: a Windows console that gets a
/// character in its last column moves to the next line by itself, and the newline would then
/// add an empty one.
pub fn wrap(text: &str, width: usize) -> String {
    let limit = width.saturating_sub(1).max(20);
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if display_width(line) <= limit || keeps_its_shape(line) {
            out.push_str(line);
        } else {
            let hang = hanging_indent(line);
            out.push_str(&wrap_line(line, limit, hang));
        }
    }
    out
}

/// Does this line keep its shape: is it part of something aligned (after its indentation, two
/// spaces in a row, the gap between a table's columns), or markup (`<Tag>`, as in a task
/// definition shown as it is)?
pub fn keeps_its_shape(line: &str) -> bool {
    let body = line.trim_start().trim_end();
    body.contains("  ") || body.starts_with('<')
}

/// The indentation of a line's continuation: its own, plus a list marker's (`- `, `• `).
fn hanging_indent(line: &str) -> usize {
    let rest = line.trim_start_matches(' ');
    let indent = line.len() - rest.len();
    let marker = ["- ", "* ", "• "]
        .iter()
        .find(|m| rest.starts_with(**m))
        .map_or(0, |m| display_width(m));
    indent + marker
}

/// The display width of text as the console shows it: escape sequences (colours) take no room.
pub fn display_width(s: &str) -> usize {
    tokens(s).iter().map(|t| t.width).sum()
}

#[derive(Debug)]
struct Token<'a> {
    text: &'a str,
    width: usize,
    space: bool,
}

/// Opening punctuation that must not end a line (it stays with what it opens).
fn opens(c: char) -> bool {
    "（「『《【".contains(c)
}

/// Closing punctuation that must not start a line (it stays with what it closes).
fn closes(c: char) -> bool {
    "，。；：、！？）」』》】,.;:!?)".contains(c)
}

/// The pieces a line may be broken between: runs of spaces, words, and each wide (CJK)
/// character on its own (with the closing punctuation after it). Colour codes stay inside the
/// piece they stand in, with no width.
fn tokens(s: &str) -> Vec<Token<'_>> {
    use unicode_width::UnicodeWidthChar;
    let mut out: Vec<Token> = Vec::new();
    // The piece being read: where it starts, its width, whether it is spaces, and whether a
    // line may break after what it holds so far (after a wide character).
    let mut start = 0;
    let mut width = 0;
    let mut space = false;
    let mut break_after = false;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let (w, new_piece) = if c == '\x1b' {
            // CSI: ESC [ parameters final byte. No width; starts a word after spaces.
            if chars.peek().is_some_and(|(_, n)| *n == '[') {
                chars.next();
                for (_, n) in chars.by_ref() {
                    if ('@'..='~').contains(&n) {
                        break;
                    }
                }
            }
            (0, space)
        } else if c == ' ' {
            (1, !space)
        } else {
            let w = c.width().unwrap_or(0);
            if closes(c) {
                // Stays with what it closes.
                (w, space)
            } else {
                (w, space || break_after || w >= 2)
            }
        };
        if new_piece && i > start {
            out.push(Token {
                text: &s[start..i],
                width,
                space,
            });
            start = i;
            width = 0;
        }
        if i == start {
            space = c == ' ';
        }
        width += w;
        break_after = c != '\x1b' && c != ' ' && w >= 2 && !opens(c);
    }
    if start < s.len() {
        out.push(Token {
            text: &s[start..],
            width,
            space,
        });
    }
    out
}

/// One line wrapped at `limit` columns; continuation lines start with `hang` spaces. A piece
/// wider than a line is left whole (the console breaks it).
pub fn wrap_line(line: &str, limit: usize, hang: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    let mut pending: Option<&Token> = None;
    let mut at_start = true;
    let toks = tokens(line);
    for t in &toks {
        if t.space {
            if !at_start || used == 0 {
                if used == 0 {
                    // Leading indentation of the first line.
                    out.push_str(t.text);
                    used += t.width;
                } else {
                    pending = Some(t);
                }
            }
            continue;
        }
        let gap = pending.map_or(0, |p| p.width);
        if !at_start && used + gap + t.width > limit {
            out.push('\n');
            out.push_str(&" ".repeat(hang));
            used = hang;
            pending = None;
        } else if let Some(p) = pending.take() {
            out.push_str(p.text);
            used += p.width;
        }
        out.push_str(t.text);
        used += t.width;
        at_start = false;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_breaks_between_words_with_the_indent_kept() {
        let line = "  - the stop command failed and nothing was removed from the data folder";
        let w = wrap(line, 31);
        assert_eq!(
            w,
            "  - the stop command failed\n    and nothing was removed\n    from the data folder"
        );
        for l in w.lines() {
            assert!(display_width(l) <= 30, "{l:?}");
        }
    }

    #[test]
    fn chinese_breaks_between_characters_by_display_width() {
        let line =
            "未删除任何东西：请先关闭正在使用这些文件的程序（例如 QQ），然后再运行一次（第二次）。";
        let w = wrap(line, 21);
        let lines: Vec<&str> = w.lines().collect();
        assert_eq!(lines.concat(), line);
        assert!(lines.len() > 1);
        for l in &lines {
            assert!(display_width(l) <= 20, "{l:?}");
            // Closing punctuation never starts a line, opening never ends one.
            assert!(!l.starts_with(['，', '。', '：', '）']), "{l:?}");
            assert!(!l.ends_with('（'), "{l:?}");
        }
    }

    #[test]
    fn aligned_lines_short_lines_and_colours_stay() {
        let table = "QQ              9.9.15-28131    ok, above the minimum and the login floor";
        assert_eq!(wrap(table, 40), table);
        assert_eq!(wrap("short\n\nlines", 40), "short\n\nlines");
        let painted = "\x1b[32mok\x1b[0m done";
        assert_eq!(display_width(painted), 7);
        assert_eq!(wrap(painted, 40), painted);
        // A word longer than the line stays whole.
        let long = format!("see {}", "x".repeat(50));
        assert_eq!(wrap(&long, 30), format!("see\n{}", "x".repeat(50)));
    }
}
