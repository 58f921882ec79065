-- Sanitises a clone of production's `platform` database before applications get credentials
-- (cloneFrom.sanitise in environments/staging.ts). The clone's sanitising Job runs it as the
-- superuser, in one transaction: it applies completely or not at all, and a failure keeps the
-- clone's credentials from being delivered.
--
-- Personal data is found by column name, in every table of every schema of the database, so new
-- tables are covered without a change here:
--   emails         columns named email, e_mail, email_address, contact_email, ...
--   names          first_name, last_name, middle_name, full_name, given_name, family_name, display_name
--   phone numbers  phone, phone_number, mobile, telephone, ...
-- Each value becomes a fake one derived from a hash of the original: the same input always gives
-- the same output, so joins and unique constraints on these columns still hold, and nothing of the
-- original can be read back. Add statements below for data this cannot recognise by its name.

DO $sanitise$
DECLARE
  target record;
  replacement text;
BEGIN
  FOR target IN
    SELECT c.table_schema, c.table_name, c.column_name, c.character_maximum_length AS max_length,
      CASE
        WHEN c.column_name ~* '(^|_)e_?mail(_address)?$' THEN 'email'
        WHEN c.column_name ~* '^(first|last|middle|full|given|family|display)_?name$' THEN 'name'
        WHEN c.column_name ~* '(^|_)(phone|mobile|telephone)(_number)?$' THEN 'phone'
      END AS kind
    FROM information_schema.columns c
    JOIN information_schema.tables t
      ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
    WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema')
      AND c.table_schema NOT LIKE 'pg\_%'
      AND c.data_type IN ('text', 'character varying')
  LOOP
    CONTINUE WHEN target.kind IS NULL;
    replacement := CASE target.kind
      WHEN 'email' THEN format($f$'user-' || left(md5(%1$I), 12) || '@example.invalid'$f$, target.column_name)
      WHEN 'name' THEN format($f$'Person ' || upper(left(md5(%1$I), 6))$f$, target.column_name)
      -- +1 555 01xx-style numbers are reserved for fiction; the hash keeps distinct numbers distinct enough.
      WHEN 'phone' THEN format($f$'+1555' || lpad((abs(hashtext(%1$I)) %% 10000000)::text, 7, '0')$f$, target.column_name)
    END;
    IF target.max_length IS NOT NULL THEN
      replacement := format('left(%s, %s)', replacement, target.max_length);
    END IF;
    RAISE NOTICE 'sanitising %.%.% (%)', target.table_schema, target.table_name, target.column_name, target.kind;
    EXECUTE format('UPDATE %I.%I SET %I = %s WHERE %I IS NOT NULL',
      target.table_schema, target.table_name, target.column_name, replacement, target.column_name);
  END LOOP;
END
$sanitise$;
