// name: broken-references
// description: Clauses that point to a point/clause that does not exist in the same document
//   ("which clauses point to a non-existent point"): one row per mention.
// param: doc: text = null — optional document id, number (119/KH-UBND) or bare number (119)
// columns: doc_id, document, jurisdiction, clause, clause_quote, target_path, raw, line
MATCH (s:Section)-[r:REFERENCES]->(m)
WHERE m:Missing OR r.status = 'broken'
OPTIONAL MATCH (d:Document {id: s.doc_id})
WITH s, r, m, d
WHERE $doc IS NULL
   OR d.id = $doc
   OR d.number = $doc
   OR toLower(d.number) = toLower($doc)
   OR split(d.number, '/')[0] = $doc
   OR s.doc_id STARTS WITH ($doc + '@')
RETURN DISTINCT s.doc_id AS doc_id,
       d.number AS document,
       d.jurisdiction AS jurisdiction,
       s.path AS clause,
       s.quote AS clause_quote,
       coalesce(r.target_path, m.path) AS target_path,
       coalesce(r.raw, m.raw) AS raw,
       r.line AS line
ORDER BY doc_id, line, clause, target_path
