--liquibase formatted sql

-- Revision 3, in formatted SQL: plain SQL statements, with the rollback written by hand.

--changeset workbook:3-index-book-title
CREATE INDEX ix_book_title ON book (title);
--rollback DROP INDEX ix_book_title;
