-- newsgraph store, schema version 9: each article's analysis status, and what kind of
-- statement each attribution is.

-- Whether the article was analysed (newsgraph.types.AnalysisStatus): 'analysed', with the
-- language read and the pipeline (model name and version), or 'not_analysed', with a code
-- (analyze.no_pipeline, analyze.empty, analyze.failed, analyze.skipped ...) and a reason.
-- Articles stored before this version: not English -> no pipeline for their language (no
-- version before this one analysed them); without analysis -> analyze.skipped (stored with
-- --no-analyze, or their analysis failed: `newsgraph analyze --store` tries again); the others
-- were analysed in English, by the pipeline their analysis version names.
ALTER TABLE articles ADD COLUMN analysis_status TEXT NOT NULL DEFAULT 'not_analysed';
ALTER TABLE articles ADD COLUMN analysis_language TEXT;
ALTER TABLE articles ADD COLUMN analysis_pipeline TEXT;
ALTER TABLE articles ADD COLUMN analysis_code TEXT;
ALTER TABLE articles ADD COLUMN analysis_reason TEXT;
UPDATE articles SET analysis_language = language, analysis_code = 'analyze.no_pipeline',
       analysis_reason = 'no pipeline for ' || language
 WHERE COALESCE(language, 'en') != 'en';
UPDATE articles SET analysis_code = 'analyze.skipped',
       analysis_reason = 'stored without analysis (ingest --no-analyze, or its analysis failed);'
                         || ' `newsgraph analyze --store` adds it'
 WHERE COALESCE(language, 'en') = 'en' AND analysis IS NULL;
UPDATE articles SET analysis_status = 'analysed', analysis_language = 'en',
       analysis_pipeline = CASE WHEN instr(analysis, '/') > 0 THEN substr(analysis, instr(analysis, '/') + 1) END
 WHERE COALESCE(language, 'en') = 'en' AND analysis IS NOT NULL;
-- The home page's counts (analysed; not analysed by reason and language) read this index only.
CREATE INDEX articles_analysis_status ON articles (analysis_status, analysis_code, analysis_language);

-- What kind of record an attribution is (newsgraph.types.Attribution): a statement or not
-- (a belief, an intention, a finding ...), a negated cue ("declined to say"), where its content
-- was found (frame) and its cue's lexicon category. Rows stored before this version were all
-- taken as statements.
ALTER TABLE attributions ADD COLUMN statement INTEGER NOT NULL DEFAULT 1;
ALTER TABLE attributions ADD COLUMN negated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE attributions ADD COLUMN frame TEXT;
ALTER TABLE attributions ADD COLUMN category TEXT;
-- Views list statements that are not negated and clear a confidence threshold by default, and
-- say how many they hide: counting them over the whole store reads this index only.
CREATE INDEX attributions_flags ON attributions (statement, negated, confidence);
