// name: agency-search
// description: Find agencies by part of a name, abbreviation or key, with or without diacritics
//   ("so thong tin" finds Sở Thông tin và Truyền thông), with how many distinct tasks they lead and coordinate.
// param: q: text — words of the name (Vietnamese or English), abbreviation, type key or agency id
// param: jurisdiction: text = null — optional province/district
// param: limit: int = 50 — maximum number of agencies
// columns: agency_id, agency, agency_en, abbr, type_key, jurisdiction, collective, leads, coordinates
MATCH (a:Agency)
WHERE ($jurisdiction IS NULL
       OR a.jurisdiction_key = $jurisdiction_key
       OR a.id ENDS WITH ('@' + $jurisdiction_key)
       OR toLower(a.jurisdiction) = toLower($jurisdiction))
  AND (a.id = $q
       OR a.type_key = $q_key
       OR toLower(a.abbr) = $q_folded
       OR coalesce(a.search_text, '') CONTAINS $q_folded
       OR toLower(a.name) CONTAINS toLower($q))
OPTIONAL MATCH (a)-[:LEADS]->(led)
WITH a, count(DISTINCT led) AS leads
OPTIONAL MATCH (a)-[:COORDINATES]->(coordinated)
WITH a, leads, count(DISTINCT coordinated) AS coordinates
RETURN a.id AS agency_id,
       a.name AS agency,
       a.name_en AS agency_en,
       a.abbr AS abbr,
       a.type_key AS type_key,
       a.jurisdiction AS jurisdiction,
       coalesce(a.collective, false) AS collective,
       leads,
       coordinates
ORDER BY leads DESC, agency_id
LIMIT $limit
