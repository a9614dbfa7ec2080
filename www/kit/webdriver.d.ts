// Types of `chat-vitals/webdriver` (Node side; drives a selenium-webdriver WebDriver without importing it).
import type { Budget, BudgetResult } from './index.js';
import type { InstrumentOptions, Collected } from './playwright.js';

/** The structural part of a selenium-webdriver WebDriver that these functions use. */
export interface DriverLike {
  executeScript<R>(script: string, ...args: unknown[]): Promise<R>;
  /** BiDi scripts (selenium 4: `driver.script().pin(functionDeclaration)`), needed by instrument() only. */
  script?(): { pin(functionDeclaration: string): Promise<string> };
}
/** Registers the injectable build as a BiDi preload script: every page load is instrumented. Resolves its id. */
export declare function instrument(driver: DriverLike, options?: InstrumentOptions): Promise<string>;
/** Instruments the page loaded now (classic WebDriver, any engine); resolves true if the kit loaded. */
export declare function inject(driver: DriverLike, options?: InstrumentOptions): Promise<boolean>;
export declare function collect(driver: DriverLike): Promise<Collected>;
export declare function checkBudget(driver: DriverLike, budget: Budget): Promise<BudgetResult & { error?: string }>;
export declare function assertBudget(driver: DriverLike, budget: Budget): Promise<BudgetResult>;
