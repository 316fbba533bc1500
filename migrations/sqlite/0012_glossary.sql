-- The glossary (issue 31): the words articles use that a patient may not know, each with a
-- plain-language definition and the other forms it goes by. The first use of a term in an
-- article links to its entry on /glossary. `anchor` is the entry's fragment there; `version`
-- counts saves, so two people editing one term find out (a stale save is refused).
CREATE TABLE glossary_terms (
    id INTEGER PRIMARY KEY,
    term TEXT NOT NULL,
    anchor TEXT NOT NULL UNIQUE,
    definition TEXT NOT NULL,
    -- Other forms, one per line (plurals, abbreviations, the long name).
    also TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    updated_by INTEGER REFERENCES staff (id)
);

-- The seed article's jargon, defined for a reader at grade 6 or below (the editor's
-- readability check; `glossary::seed_definitions_read_at_grade_six` holds them to it).
INSERT INTO glossary_terms (term, anchor, definition, also, updated_at) VALUES
('atrophy', 'atrophy', 'When a part of the body shrinks or wastes away. In the brain, it means brain cells get smaller or die.', '', CURRENT_TIMESTAMP),
('BDNF', 'bdnf', 'A protein that helps brain cells grow, stay healthy and make new links. Its full name is brain-derived neurotrophic factor.', 'brain-derived neurotrophic factor', CURRENT_TIMESTAMP),
('dissociation', 'dissociation', 'Feeling cut off from your body, your thoughts or the world around you. It can happen for a short time during a ketamine treatment.', 'dissociative', CURRENT_TIMESTAMP),
('hippocampus', 'hippocampus', 'A part of the brain that helps you learn, make memories and cope with stress.', '', CURRENT_TIMESTAMP),
('infusion', 'infusion', 'Medicine given slowly through a thin tube into a vein.', 'infusions', CURRENT_TIMESTAMP),
('neuron', 'neuron', 'A nerve cell. Neurons carry messages through the brain and the body.', 'neurons', CURRENT_TIMESTAMP),
('neurotransmitter', 'neurotransmitter', 'A chemical that carries a message from one nerve cell to the next.', 'neurotransmitters', CURRENT_TIMESTAMP),
('NMDA receptor', 'nmda-receptor', 'A spot on nerve cells that reacts to glutamate, one of the brain''s chemical messengers. Ketamine blocks it for a short time.', 'NMDA receptors', CURRENT_TIMESTAMP),
('prefrontal cortex', 'prefrontal-cortex', 'The front part of the brain. It helps you plan, make choices and handle your feelings.', '', CURRENT_TIMESTAMP),
('SSRI', 'ssri', 'A common kind of pill for depression. Zoloft and Prozac are two of them.', 'SSRIs
selective serotonin reuptake inhibitor', CURRENT_TIMESTAMP),
('synapse', 'synapse', 'The tiny gap where one nerve cell passes a message to the next.', 'synapses', CURRENT_TIMESTAMP),
('synaptogenesis', 'synaptogenesis', 'The growth of new synapses: new links between nerve cells.', '', CURRENT_TIMESTAMP),
('treatment-resistant depression', 'treatment-resistant-depression', 'Depression that has not got better with treatment. At least two kinds of pills for it have been tried.', 'TRD', CURRENT_TIMESTAMP);
