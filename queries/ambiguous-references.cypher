// name: ambiguous-references
// description: References whose target path matches more than one clause of the document
//   (e.g. two points labelled c): one row per mention with the candidate clauses.
// param: doc: text = null — optional document id, number (119/KH-UBND) or bare number (119)
// columns: doc_id, document, clause, clause_quote, target_path, raw, line, candidates
MATCH (s:Section)-[r:REFERENCES]->(c)
WHERE r.status = 'ambiguous'
OPTIONAL MATCH (d:Document {id: s.doc_id})
WITH s, r, c, d
WHERE $doc IS NULL
   OR d.id = $doc
   OR d.number = $doc
   OR toLower(d.number) = toLower($doc)
   OR split(d.number, '/')[0] = $doc
   OR s.doc_id STARTS WITH ($doc + '@')
WITH s.doc_id AS doc_id,
     d.number AS document,
     s.path AS clause,
     coalesce(r.quote, s.quote) AS clause_quote,
     r.target_path AS target_path,
     r.raw AS raw,
     r.line AS line,
     collect(DISTINCT c.path) AS candidates
RETURN doc_id, document, clause, clause_quote, target_path, raw, line, candidates
ORDER BY doc_id, line, clause, target_path
