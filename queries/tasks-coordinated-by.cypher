// name: tasks-coordinated-by
// description: Tasks an agency coordinates (phối hợp), one row per agency and task, across all
//   documents or one jurisdiction. Tasks assigned through a reference to a clause that
//   does not exist are included with broken=true (path = the path asked for).
// param: agency: text — English abbreviation (DIC), Vietnamese name with or without diacritics ("Sở Thông tin và Truyền thông", "so thong tin va truyen thong"), agency type key (dic) or agency id (dic@tien-giang)
// param: jurisdiction: text = null — optional province/district ("Tiền Giang", "tien-giang")
// param: include_predecessors: bool = false — also tasks of agencies whose type was merged into the asked one (2025 reorganisation)
// columns: doc_id, document, jurisdiction, agency_id, agency, path, title, task_source, clauses, quote, via_reference, broken, predecessor
MATCH (a:Agency)
WHERE $jurisdiction IS NULL
   OR a.jurisdiction_key = $jurisdiction_key
   OR a.id ENDS WITH ('@' + $jurisdiction_key)
   OR toLower(a.jurisdiction) = toLower($jurisdiction)
OPTIONAL MATCH (a)-[:OF_TYPE]->(:AgencyType)-[:SUCCEEDED_BY*1..4]->(succ:AgencyType)
WITH a, collect(succ) AS successors
WITH a,
     (a.id = $agency
      OR a.type_key = $agency_key
      OR toLower(a.abbr) = $agency_folded
      OR $agency_folded IN [s IN split(coalesce(a.search_text, ''), '|') | trim(s)]) AS direct,
     any(s IN successors WHERE s.id = $agency_key
         OR toLower(s.abbr) = $agency_folded
         OR toLower(s.name) = toLower($agency)
         OR toLower(s.name_en) = $agency_folded
         OR (s.id + '@' + split(a.id, '@')[1]) = $agency) AS via_successor
WHERE direct OR ($include_predecessors AND via_successor)
MATCH (a)-[r:COORDINATES]->(t)
WHERE t:Section OR t:Missing
WITH a, direct, t, collect(r) AS rs
OPTIONAL MATCH (d:Document {id: t.doc_id})
RETURN t.doc_id AS doc_id,
       d.number AS document,
       a.jurisdiction AS jurisdiction,
       a.id AS agency_id,
       a.name AS agency,
       t.path AS path,
       coalesce(t.title, t.raw) AS title,
       t.task_source AS task_source,
       [r IN rs | r.clause] AS clauses,
       head([r IN rs | r.quote]) AS quote,
       any(r IN rs WHERE r.via_reference = true) AS via_reference,
       ('Missing' IN labels(t) OR any(r IN rs WHERE r.broken = true)) AS broken,
       NOT direct AS predecessor
ORDER BY doc_id, coalesce(t.order, 1000000000), path, agency_id
