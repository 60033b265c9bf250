/** Base of every validation error the GTM domain throws; `field` names what was wrong. */
export class GtmDomainError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidSalesStage extends GtmDomainError {
  constructor(value: string) {
    super(
      "stage",
      `"${value}" is not a sales stage (expected one of prospecting, qualification, proposal, closed_won, closed_lost)`,
    );
  }
}

export class InvalidChurnRisk extends GtmDomainError {
  constructor(value: string) {
    super("churn_risk", `"${value}" is not a churn risk (expected low, medium or high)`);
  }
}

export class InvalidCalendarDate extends GtmDomainError {
  constructor(value: string, field = "date") {
    super(field, `"${value}" is not a calendar date in YYYY-MM-DD form`);
  }
}

export class InvalidAmount extends GtmDomainError {
  constructor(value: string, reason: string, field = "amount") {
    super(field, `"${value}" is not a valid amount: ${reason}`);
  }
}
