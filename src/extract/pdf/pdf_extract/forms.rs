//! Form XObjects that draw themselves, found and cut before pdf-extract runs.
//!
//! pdf-extract follows every `Do` into the form it names and has no guard against a form that
//! draws itself, directly or through other forms: it recurses until its stack overflows (an
//! abort no `catch_unwind` contains) or, decoding the form's content again at every level,
//! until the memory limit ends it first. Which of the two comes first depends on how much
//! memory the worker already holds, so the same file could be reported as a crash once and as
//! too large the next time. A viewer draws such a form once and stops; so do we: each `Do`
//! that would re-enter a form already being drawn is removed from the content of the form
//! that makes it, and the text of every form is still read once per path.
//!
//! The walk is an iterative depth-first search over (form, resources in effect), because a
//! form without its own `/Resources` resolves names in its caller's, as pdf-extract does. It
//! is bounded ([`MAX_DRAWS_WALKED`]), so a hostile file cannot make the check itself expensive;
//! past the bound the file is left as it is and the worker's limits still hold.

use std::collections::{HashMap, HashSet};

use pdf_extract::content::{Content, Operation};
use pdf_extract::{Dictionary, Document, Object, ObjectId};

/// Most (form, resources) states the search visits before it gives up.
const MAX_DRAWS_WALKED: usize = 100_000;

/// Parent links followed to find a page's inherited `/Resources`.
const MAX_PARENTS: usize = 64;

/// Removes every `Do` by which a form XObject re-enters a form that is being drawn. Returns
/// how many forms were changed.
pub(super) fn cut_self_drawing_forms(doc: &mut Document) -> usize {
    let mut walk = Walk::new(doc);
    if walk.drawing.is_empty() {
        // No form draws another one: there is no cycle to find.
        return 0;
    }
    let Some(cuts) = walk.cycles() else {
        return 0;
    };
    let changed = cuts.len();
    for (form, names) in cuts {
        cut(doc, form, &names);
    }
    changed
}

/// The forms and what they draw, read once.
struct Walk<'a> {
    doc: &'a Document,
    /// Names each form that draws other XObjects passes to `Do`, in order.
    drawing: HashMap<ObjectId, Vec<Vec<u8>>>,
    /// XObject names in the resources of an object (a form or a page), resolved.
    names: HashMap<ObjectId, HashMap<Vec<u8>, ObjectId>>,
}

/// A form drawn with the resources of `scope` (itself, or the caller whose resources it
/// inherits).
type State = (ObjectId, ObjectId);

impl<'a> Walk<'a> {
    fn new(doc: &'a Document) -> Walk<'a> {
        let drawing = doc
            .objects
            .iter()
            .filter_map(|(&id, object)| {
                let stream = object.as_stream().ok()?;
                let subtype = stream.dict.get(b"Subtype").and_then(Object::as_name).ok()?;
                if subtype != b"Form" {
                    return None;
                }
                let names = draws(&stream.decompressed_content().ok()?);
                (!names.is_empty()).then_some((id, names))
            })
            .collect();
        Walk {
            doc,
            drawing,
            names: HashMap::new(),
        }
    }

    /// The `Do` names to cut per form; `None` when the search went past its bound.
    fn cycles(&mut self) -> Option<HashMap<ObjectId, HashSet<Vec<u8>>>> {
        let mut cuts: HashMap<ObjectId, HashSet<Vec<u8>>> = HashMap::new();
        let mut done: HashSet<State> = HashSet::new();
        let mut walked = 0;
        let pages: Vec<ObjectId> = self.doc.get_pages().into_values().collect();
        for page in pages {
            let scope = self.page_scope(page);
            let mut roots: Vec<State> = Vec::new();
            for name in page_draws(self.doc, page) {
                if let Some(form) = self.resolve(scope, &name) {
                    roots.push((form, self.scope_of(form, scope)));
                }
            }
            for root in roots {
                if done.contains(&root) {
                    continue;
                }
                // The path being drawn, each state with the index of its next `Do`.
                let mut path: Vec<(State, usize)> = vec![(root, 0)];
                let mut on_path: HashSet<State> = HashSet::from([root]);
                while let Some(top) = path.last_mut() {
                    let ((form, scope), at) = *top;
                    top.1 += 1;
                    let name = self.drawing.get(&form).and_then(|n| n.get(at)).cloned();
                    let Some(name) = name else {
                        path.pop();
                        on_path.remove(&(form, scope));
                        done.insert((form, scope));
                        continue;
                    };
                    let Some(target) = self.resolve(scope, &name) else {
                        continue;
                    };
                    let state = (target, self.scope_of(target, scope));
                    if on_path.contains(&state) {
                        cuts.entry(form).or_default().insert(name);
                    } else if !done.contains(&state) && self.drawing.contains_key(&target) {
                        walked += 1;
                        if walked > MAX_DRAWS_WALKED {
                            return None;
                        }
                        on_path.insert(state);
                        path.push((state, 0));
                    }
                }
            }
        }
        Some(cuts)
    }

    /// The object whose resources a form drawn in `caller_scope` resolves names in.
    fn scope_of(&self, form: ObjectId, caller_scope: ObjectId) -> ObjectId {
        let own = self
            .doc
            .get_object(form)
            .and_then(Object::as_stream)
            .is_ok_and(|s| resources(self.doc, &s.dict).is_some());
        if own { form } else { caller_scope }
    }

    /// The object whose resources a page's content resolves names in: the page or the nearest
    /// ancestor with `/Resources`.
    fn page_scope(&self, page: ObjectId) -> ObjectId {
        let mut node = page;
        for _ in 0..MAX_PARENTS {
            let Ok(dict) = self.doc.get_dictionary(node) else {
                break;
            };
            if resources(self.doc, dict).is_some() {
                return node;
            }
            match dict.get(b"Parent").and_then(Object::as_reference) {
                Ok(parent) => node = parent,
                Err(_) => break,
            }
        }
        page
    }

    /// The XObject `name` stands for in the resources of `scope`.
    fn resolve(&mut self, scope: ObjectId, name: &[u8]) -> Option<ObjectId> {
        let doc = self.doc;
        self.names
            .entry(scope)
            .or_insert_with(|| xobject_names(doc, scope))
            .get(name)
            .copied()
    }
}

/// The `/Resources` dictionary of a page, page-tree node or form dictionary, dereferenced.
fn resources<'d>(doc: &'d Document, dict: &'d Dictionary) -> Option<&'d Dictionary> {
    let object = dict.get(b"Resources").ok()?;
    doc.dereference(object).ok()?.1.as_dict().ok()
}

/// XObject names in the resources of `owner` (a form stream or a page-tree dictionary).
fn xobject_names(doc: &Document, owner: ObjectId) -> HashMap<Vec<u8>, ObjectId> {
    let dict = match doc.get_object(owner) {
        Ok(Object::Stream(stream)) => &stream.dict,
        Ok(Object::Dictionary(dict)) => dict,
        _ => return HashMap::new(),
    };
    let Some(xobjects) = resources(doc, dict)
        .and_then(|r| r.get(b"XObject").ok())
        .and_then(|x| doc.dereference(x).ok())
        .and_then(|(_, x)| x.as_dict().ok())
    else {
        return HashMap::new();
    };
    xobjects
        .iter()
        .filter_map(|(name, target)| Some((name.clone(), target.as_reference().ok()?)))
        .collect()
}

/// The names a page's content streams pass to `Do`.
fn page_draws(doc: &Document, page: ObjectId) -> Vec<Vec<u8>> {
    doc.get_page_contents(page)
        .into_iter()
        .filter_map(|id| doc.get_object(id).and_then(Object::as_stream).ok())
        .filter_map(|stream| stream.decompressed_content().ok())
        .flat_map(|data| draws(&data))
        .collect()
}

/// The names a content stream passes to `Do`, in order; none when it cannot be parsed.
fn draws(data: &[u8]) -> Vec<Vec<u8>> {
    // Most forms draw nothing: skip the parse when the operator cannot be there.
    if !data.windows(2).any(|w| w == b"Do") {
        return Vec::new();
    }
    let Ok(content) = Content::decode(data) else {
        return Vec::new();
    };
    content
        .operations
        .iter()
        .filter(|op| op.operator == "Do")
        .filter_map(|op| op.operands.first()?.as_name().ok().map(<[u8]>::to_vec))
        .collect()
}

/// Removes the `Do` operations with `names` from the content of `form`.
fn cut(doc: &mut Document, form: ObjectId, names: &HashSet<Vec<u8>>) {
    let Ok(stream) = doc.get_object_mut(form).and_then(Object::as_stream_mut) else {
        return;
    };
    let Ok(content) = stream
        .decompressed_content()
        .map_err(|_| ())
        .and_then(|data| Content::decode(&data).map_err(|_| ()))
    else {
        return;
    };
    let kept = Content {
        operations: content
            .operations
            .into_iter()
            .filter(|op| !is_draw_of(op, names))
            .collect::<Vec<Operation>>(),
    };
    if let Ok(encoded) = kept.encode() {
        stream.set_plain_content(encoded);
    }
}

fn is_draw_of(op: &Operation, names: &HashSet<Vec<u8>>) -> bool {
    op.operator == "Do"
        && op
            .operands
            .first()
            .and_then(|o| o.as_name().ok())
            .is_some_and(|name| names.contains(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use pdf_extract::{Stream, dictionary};

    /// A form for [`document`]: its content, the XObject names of its resources (name → form
    /// index), and whether it has resources of its own.
    type Form<'a> = (&'a str, &'a [(&'a str, usize)], bool);

    /// A one-page document whose page draws form `X1` (form 0); the page's resources hold
    /// every name of every form.
    fn document(forms: &[Form]) -> (Document, Vec<ObjectId>) {
        let mut doc = Document::with_version("1.7");
        let ids: Vec<ObjectId> = forms.iter().map(|_| doc.new_object_id()).collect();
        let xobjects = |names: &[(&str, usize)]| {
            let mut d = Dictionary::new();
            for (name, at) in names {
                d.set(*name, Object::Reference(ids[*at]));
            }
            d
        };
        for (i, (content, names, own)) in forms.iter().enumerate() {
            let mut dict = dictionary! { "Type" => "XObject", "Subtype" => "Form" };
            if *own {
                dict.set("Resources", dictionary! { "XObject" => xobjects(names) });
            }
            doc.objects.insert(
                ids[i],
                Object::Stream(Stream::new(dict, content.as_bytes().to_vec())),
            );
        }
        let pages = doc.new_object_id();
        let contents = doc.add_object(Stream::new(Dictionary::new(), b"q /X1 Do Q".to_vec()));
        let all: Vec<(&str, usize)> = forms
            .iter()
            .flat_map(|(_, names, _)| names.iter().copied())
            .chain([("X1", 0)])
            .collect();
        let page = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages,
            "Contents" => contents,
            "Resources" => dictionary! { "XObject" => xobjects(&all) },
        });
        doc.objects.insert(
            pages,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1,
            }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
        doc.trailer.set("Root", catalog);
        (doc, ids)
    }

    fn content_of(doc: &Document, id: ObjectId) -> String {
        let stream = doc.get_object(id).unwrap().as_stream().unwrap();
        String::from_utf8(
            stream
                .decompressed_content()
                .unwrap_or(stream.content.clone()),
        )
        .unwrap()
    }

    #[test]
    fn a_form_that_draws_itself_loses_only_that_draw() {
        let (mut doc, ids) = document(&[
            ("BT (a) Tj ET /X1 Do /X2 Do", &[("X1", 0), ("X2", 1)], true),
            ("BT (b) Tj ET", &[], true),
        ]);
        assert_eq!(cut_self_drawing_forms(&mut doc), 1);
        let form = content_of(&doc, ids[0]);
        assert!(!form.contains("/X1 Do"), "{form}");
        assert!(form.contains("/X2 Do") && form.contains("(a)"), "{form}");
    }

    #[test]
    fn a_cycle_through_two_forms_is_cut_where_it_closes() {
        let (mut doc, ids) = document(&[
            ("BT (a) Tj ET /Y Do", &[("Y", 1)], true),
            ("BT (b) Tj ET /Z Do", &[("Z", 0)], true),
        ]);
        assert_eq!(cut_self_drawing_forms(&mut doc), 1);
        assert!(content_of(&doc, ids[0]).contains("/Y Do"));
        assert!(!content_of(&doc, ids[1]).contains("/Z Do"));
    }

    #[test]
    fn a_form_without_resources_resolves_in_its_callers() {
        // X1 has no /Resources: its `/X1 Do` names itself through the page's.
        let (mut doc, ids) = document(&[("BT (a) Tj ET /X1 Do", &[], false)]);
        assert_eq!(cut_self_drawing_forms(&mut doc), 1);
        assert!(!content_of(&doc, ids[0]).contains("Do"));
    }

    #[test]
    fn a_form_drawn_twice_without_a_cycle_is_left_alone() {
        let (mut doc, ids) = document(&[
            ("/Y Do /Y Do", &[("Y", 1)], true),
            ("BT (b) Tj ET", &[], true),
        ]);
        let before = content_of(&doc, ids[0]);
        assert_eq!(cut_self_drawing_forms(&mut doc), 0);
        assert_eq!(content_of(&doc, ids[0]), before);
    }
}
