--liquibase formatted sql

-- Revision 5: split author.country into a table of its own (country) and a key (author.country_id).
-- Four small changesets, each with its own rollback, so that the split can be undone step by step
-- and the country names come back into author.country.

--changeset workbook:5-create-country
CREATE TABLE country (
    id integer NOT NULL,
    name varchar(60) NOT NULL,
    CONSTRAINT pk_country PRIMARY KEY (id),
    CONSTRAINT uq_country_name UNIQUE (name)
);
--rollback DROP TABLE country;

--changeset workbook:5-add-author-country-id
ALTER TABLE author ADD COLUMN country_id integer;
--rollback ALTER TABLE author DROP COLUMN country_id;

--changeset workbook:5-copy-countries
-- the data migration: one country row per distinct name, numbered in name order
INSERT INTO country (id, name)
SELECT ROW_NUMBER() OVER (ORDER BY country), country
FROM (SELECT DISTINCT country FROM author WHERE country IS NOT NULL) AS c;
UPDATE author SET country_id = (SELECT id FROM country WHERE country.name = author.country);
--rollback UPDATE author SET country_id = NULL;
--rollback DELETE FROM country;

--changeset workbook:5-drop-author-country
ALTER TABLE author DROP COLUMN country;
--rollback ALTER TABLE author ADD COLUMN country varchar(60);
--rollback UPDATE author SET country = (SELECT name FROM country WHERE country.id = author.country_id);
