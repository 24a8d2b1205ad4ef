//! XML parts read as a stream, their nesting depth counted.

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::meter::Meter;
use crate::{ExtractError, Limit};

/// Walks a whole XML part and refuses it when it nests deeper than the budget allows (a
/// parser that recurses, or keeps a stack per level, is then safe to run on it).
pub(crate) fn check_depth(
    meter: &mut Meter<'_>,
    part: &str,
    xml: &[u8],
) -> Result<(), ExtractError> {
    let max = meter.budget.max_xml_depth;
    let mut reader = Reader::from_reader(xml);
    reader.config_mut().check_end_names = false;
    let mut depth = 0usize;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| meter.unreadable(format!("{part} 不是有效的 XML（{e}）")))?;
        match event {
            Event::Start(_) => {
                depth += 1;
                if depth > max {
                    return Err(meter.over(Limit::XmlDepth(max)));
                }
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Eof => return Ok(()),
            _ => {}
        }
        meter.tick()?;
    }
}
