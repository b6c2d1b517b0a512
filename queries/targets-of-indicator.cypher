// name: targets-of-indicator
// description: Targets (chỉ tiêu) that measure one indicator, across plans, with year and value,
//   to compare a plan's body with its appendix and provinces with each other.
// param: indicator: text — indicator key (digital_economy_share_grdp) or words of the indicator as written
// param: year: int = null — optional target year
// columns: indicator_key, doc_id, document, jurisdiction, path, indicator, comparator, value, value_max, unit, year, baseline, quote
MATCH (tg:Target)
OPTIONAL MATCH (tg)-[:MEASURES]->(ind:Indicator)
WITH tg, ind
WHERE (tg.indicator_key = $indicator
       OR tg.indicator_key = replace($indicator_key, '-', '_')
       OR ind.id = $indicator
       OR ind.id = replace($indicator_key, '-', '_')
       OR toLower(ind.name) = toLower($indicator)
       OR toLower(tg.indicator) CONTAINS toLower($indicator))
  AND ($year IS NULL OR tg.year = $year)
OPTIONAL MATCH (d:Document {id: tg.doc_id})
RETURN coalesce(tg.indicator_key, ind.id) AS indicator_key,
       tg.doc_id AS doc_id,
       d.number AS document,
       d.jurisdiction AS jurisdiction,
       tg.path AS path,
       tg.indicator AS indicator,
       tg.comparator AS comparator,
       tg.value AS value,
       tg.value_max AS value_max,
       tg.unit AS unit,
       tg.year AS year,
       tg.baseline AS baseline,
       tg.quote AS quote
ORDER BY indicator_key, doc_id, year, path
