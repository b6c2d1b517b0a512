// name: findings
// description: Audit findings (broken/ambiguous references, numbering anomalies, conflicting targets ...),
//   optionally of one document or one kind.
// param: doc: text = null — optional document id, number (119/KH-UBND) or bare number (119)
// param: kind: text = null — optional finding kind (e.g. broken_reference)
// columns: doc_id, document, kind, severity, path, line, quote, target, suggestion
MATCH (f:Finding)
WHERE $kind IS NULL OR f.kind = $kind OR f.kind = replace($kind_key, '-', '_')
OPTIONAL MATCH (d:Document {id: f.doc_id})
WITH f, d
WHERE $doc IS NULL
   OR d.id = $doc
   OR d.number = $doc
   OR toLower(d.number) = toLower($doc)
   OR split(d.number, '/')[0] = $doc
   OR f.doc_id STARTS WITH ($doc + '@')
RETURN f.doc_id AS doc_id,
       d.number AS document,
       f.kind AS kind,
       f.severity AS severity,
       f.path AS path,
       f.line AS line,
       f.quote AS quote,
       f.target AS target,
       f.suggestion AS suggestion
ORDER BY doc_id, line, kind, path
