import Decimal from "decimal.js";
import type { CalendarDate } from "../gtm/calendar-date";
import type { Customer } from "../gtm/customer";
import type { Opportunity } from "../gtm/opportunity";

let sequence = 0;
const next = () => String(++sequence).padStart(6, "0");

export function aCustomer(overrides: Partial<Customer> = {}): Customer {
  const id = next();
  return { customerId: `C-${id}`, name: `Customer ${id}`, churnRisk: "low", ...overrides };
}

export function anOpportunity(customer: Customer, overrides: Partial<Opportunity> = {}): Opportunity {
  return {
    oppId: `O-${next()}`,
    customerId: customer.customerId,
    stage: "proposal",
    closeDate: "2026-12-01" as CalendarDate,
    amount: new Decimal("1000.00"),
    salesOwner: "rep.one",
    ...overrides,
  };
}
