// name: documents
// description: Ingested documents with their identity and counts of tasks, broken references and
//   legal bases implemented.
// param: jurisdiction: text = null — optional province/district of the issuer
// columns: doc_id, number, doc_type, issuer, jurisdiction, date, title, sections, tasks, references_broken, implements
MATCH (d:Document)
WHERE $jurisdiction IS NULL
   OR toLower(d.jurisdiction) = toLower($jurisdiction)
   OR d.jurisdiction_key = $jurisdiction_key
   OR d.id CONTAINS ('@' + $jurisdiction_key + '-')
OPTIONAL MATCH (t:Task)
WHERE t.doc_id = d.id
WITH d, count(t) AS tasks
RETURN d.id AS doc_id,
       d.number AS number,
       d.doc_type AS doc_type,
       d.issuer AS issuer,
       d.jurisdiction AS jurisdiction,
       d.date AS date,
       d.title AS title,
       d.sections AS sections,
       tasks,
       d.references_broken AS references_broken,
       [(d)-[:IMPLEMENTS]->(lb:LegalBasis) | lb.id] AS implements
ORDER BY date, doc_id
