//! A small reading of robots.txt (RFC 9309): the group for our user agent, else the `*` group;
//! `Allow` and `Disallow` with `*` and `$`; the longest matching rule wins, `Allow` on a tie.

/// The rules that apply to us.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Robots {
    /// `(allow, pattern)` pairs.
    rules: Vec<(bool, String)>,
}

impl Robots {
    /// Everything allowed (no robots.txt, or it answered 4xx).
    pub fn allow_all() -> Robots {
        Robots::default()
    }

    /// Nothing allowed (robots.txt could not be read because the server failed, RFC 9309 §2.3.1.4).
    pub fn disallow_all() -> Robots {
        Robots {
            rules: vec![(false, "/".to_string())],
        }
    }

    /// Reads a robots.txt for the user agent whose product token is `agent` (e.g.
    /// `gongkai-inspect`): the groups naming it, else the `*` groups.
    pub fn parse(text: &str, agent: &str) -> Robots {
        let agent = agent.to_ascii_lowercase();
        let mut ours: Vec<(bool, String)> = Vec::new();
        let mut star: Vec<(bool, String)> = Vec::new();
        let mut found_ours = false;
        // The agents of the group being read, and whether its rules have begun (a User-agent
        // line after a rule starts a new group).
        let mut agents: Vec<String> = Vec::new();
        let mut in_rules = false;
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let key = key.trim().to_ascii_lowercase();
            let value = value.trim();
            match key.as_str() {
                "user-agent" => {
                    if in_rules {
                        agents.clear();
                        in_rules = false;
                    }
                    agents.push(value.to_ascii_lowercase());
                }
                "allow" | "disallow" => {
                    in_rules = true;
                    let allow = key == "allow";
                    // An empty Disallow allows everything: no rule.
                    if value.is_empty() {
                        if agents
                            .iter()
                            .any(|a| !a.is_empty() && a != "*" && agent.contains(a.as_str()))
                        {
                            found_ours = true;
                        }
                        continue;
                    }
                    let rule = (allow, value.to_string());
                    if agents
                        .iter()
                        .any(|a| !a.is_empty() && a != "*" && agent.contains(a.as_str()))
                    {
                        found_ours = true;
                        ours.push(rule);
                    } else if agents.iter().any(|a| a == "*") {
                        star.push(rule);
                    }
                }
                _ => {}
            }
        }
        Robots {
            rules: if found_ours { ours } else { star },
        }
    }

    /// Whether `path` (with its query, e.g. `/search?q=1`) may be fetched.
    pub fn allows(&self, path: &str) -> bool {
        if path == "/robots.txt" {
            return true;
        }
        let mut best: Option<(usize, bool)> = None;
        for (allow, pattern) in &self.rules {
            if matches(pattern, path) {
                let len = pattern.len();
                best = match best {
                    Some((l, a)) if l > len || (l == len && a) => Some((l, a)),
                    _ => Some((len, *allow)),
                };
            }
        }
        best.is_none_or(|(_, allow)| allow)
    }
}

/// A robots.txt path pattern: a prefix, where `*` stands for any run and a final `$` anchors
/// the end.
fn matches(pattern: &str, path: &str) -> bool {
    let (pattern, anchored) = match pattern.strip_suffix('$') {
        Some(p) => (p, true),
        None => (pattern, false),
    };
    let parts: Vec<&str> = pattern.split('*').collect();
    let mut pos = 0;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            if !path.starts_with(part) {
                return false;
            }
            pos = part.len();
        } else if i == parts.len() - 1 && anchored {
            return path.len() >= pos + part.len() && path.ends_with(part);
        } else {
            match path[pos..].find(part) {
                Some(at) => pos += at + part.len(),
                None => return false,
            }
        }
    }
    !anchored || pos == path.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    const UA: &str = "gongkai-inspect";

    #[test]
    fn the_star_group_applies_when_none_names_us() {
        let r = Robots::parse("User-agent: *\nDisallow: /admin\nDisallow: /search?\n", UA);
        assert!(!r.allows("/admin/login"));
        assert!(!r.allows("/search?q=x"));
        assert!(r.allows("/search"));
        assert!(r.allows("/xxgk"));
        assert!(r.allows("/robots.txt"));
    }

    #[test]
    fn our_group_replaces_the_star_group() {
        let text =
            "User-agent: *\nDisallow: /\n\nUser-agent: Gongkai-Inspect\nDisallow: /private\n";
        let r = Robots::parse(text, UA);
        assert!(r.allows("/xxgk"));
        assert!(!r.allows("/private/x"));
        // An empty Disallow in our group allows all, even when * forbids everything.
        let r = Robots::parse(
            "User-agent: *\nDisallow: /\nUser-agent: gongkai\nDisallow:\n",
            UA,
        );
        assert!(r.allows("/anything"));
    }

    #[test]
    fn groups_share_rules_and_longest_match_wins() {
        let text = "# comment\nUser-agent: a\nUser-agent: *\nDisallow: /p\nAllow: /p/open\n";
        let r = Robots::parse(text, UA);
        assert!(!r.allows("/p/1"));
        assert!(r.allows("/p/open/2"));
        let r = Robots::parse("User-agent: *\nDisallow: /*.pdf$\nDisallow: /tmp*/x\n", UA);
        assert!(!r.allows("/files/a.pdf"));
        assert!(r.allows("/files/a.pdf?x=1"));
        assert!(!r.allows("/tmp1/x"));
        assert!(r.allows("/tmp1/y"));
    }

    #[test]
    fn fallbacks() {
        assert!(Robots::allow_all().allows("/x"));
        assert!(!Robots::disallow_all().allows("/x"));
        assert!(Robots::parse("garbage\n\n", UA).allows("/x"));
    }
}
