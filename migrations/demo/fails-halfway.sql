--liquibase formatted sql

-- Chapter 9 demo: two changesets; the second one's third statement fails (a duplicate key).

--changeset workbook:demo-create-publisher
CREATE TABLE publisher (id integer NOT NULL, name varchar(100) NOT NULL, CONSTRAINT pk_publisher PRIMARY KEY (id));
INSERT INTO publisher (id, name) VALUES (1, 'Penguin Classics');
--rollback DROP TABLE publisher;

--changeset workbook:demo-book-publisher
ALTER TABLE book ADD COLUMN publisher_id integer;
UPDATE book SET publisher_id = 1;
INSERT INTO publisher (id, name) VALUES (1, 'Oxford World''s Classics');
--rollback ALTER TABLE book DROP COLUMN publisher_id;
