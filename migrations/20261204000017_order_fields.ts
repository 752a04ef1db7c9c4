import type { Knex } from 'knex';

// What an affidavit and an invoice print about an order (issue 13, item 6): the order or
// contract number, the agency and its commission, the rate per spot (integer cents with a
// currency code, never a float), and each copy's ISCI or Ad-ID code (upper case, checked by
// domain/orders.ts; the CHECK here only keeps out what no code can be).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('campaigns', (t) => {
    t.text('order_number');
    t.text('agency');
    // Percent of the gross the agency keeps, to the hundredth (15.00 is the usual agency rate).
    t.decimal('agency_commission_percent', 5, 2).notNullable().defaultTo(0);
    t.integer('rate_cents');
    t.specificType('currency', 'char(3)').notNullable().defaultTo('USD');
  });
  await knex.raw('ALTER TABLE campaigns ADD CONSTRAINT campaigns_rate CHECK (rate_cents IS NULL OR rate_cents >= 0)');
  await knex.raw('ALTER TABLE campaigns ADD CONSTRAINT campaigns_agency_commission CHECK (agency_commission_percent BETWEEN 0 AND 100)');
  await knex.raw("ALTER TABLE campaigns ADD CONSTRAINT campaigns_commission_needs_agency CHECK (agency IS NOT NULL OR agency_commission_percent = 0)");
  await knex.raw("ALTER TABLE campaigns ADD CONSTRAINT campaigns_currency CHECK (currency ~ '^[A-Z]{3}$')");

  await knex.schema.alterTable('campaign_copy', (t) => {
    t.text('isci');
  });
  await knex.raw("ALTER TABLE campaign_copy ADD CONSTRAINT campaign_copy_isci CHECK (isci IS NULL OR isci ~ '^[A-Z0-9]{8,12}$')");
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE campaign_copy DROP CONSTRAINT IF EXISTS campaign_copy_isci');
  await knex.schema.alterTable('campaign_copy', (t) => {
    t.dropColumn('isci');
  });
  for (const constraint of ['campaigns_rate', 'campaigns_agency_commission', 'campaigns_commission_needs_agency', 'campaigns_currency']) {
    await knex.raw(`ALTER TABLE campaigns DROP CONSTRAINT IF EXISTS ${constraint}`);
  }
  await knex.schema.alterTable('campaigns', (t) => {
    t.dropColumns('order_number', 'agency', 'agency_commission_percent', 'rate_cents', 'currency');
  });
}
