// name: agencies-by-led-tasks
// description: Agencies ranked by the number of distinct tasks they lead (broken targets included),
//   optionally within one jurisdiction or one document.
// param: jurisdiction: text = null — optional province/district ("Tiền Giang", "tien-giang")
// param: doc: text = null — optional document id, number (370/KH-UBND) or bare number (370)
// param: include_collective: bool = true — include collective assignees (các sở, ban, ngành ...)
// param: limit: int = 50 — maximum number of agencies
// columns: agency_id, agency, agency_en, abbr, jurisdiction, collective, tasks, documents
MATCH (a:Agency)-[r:LEADS]->(t)
WHERE (t:Section OR t:Missing)
  AND ($jurisdiction IS NULL
       OR a.jurisdiction_key = $jurisdiction_key
       OR a.id ENDS WITH ('@' + $jurisdiction_key)
       OR toLower(a.jurisdiction) = toLower($jurisdiction))
  AND ($include_collective OR coalesce(a.collective, false) = false)
OPTIONAL MATCH (d:Document {id: t.doc_id})
WITH a, t, d
WHERE $doc IS NULL
   OR d.id = $doc
   OR d.number = $doc
   OR toLower(d.number) = toLower($doc)
   OR split(d.number, '/')[0] = $doc
   OR t.doc_id STARTS WITH ($doc + '@')
WITH a, count(DISTINCT t) AS tasks, count(DISTINCT t.doc_id) AS documents
RETURN a.id AS agency_id,
       a.name AS agency,
       a.name_en AS agency_en,
       a.abbr AS abbr,
       a.jurisdiction AS jurisdiction,
       coalesce(a.collective, false) AS collective,
       tasks,
       documents
ORDER BY tasks DESC, agency_id
LIMIT $limit
