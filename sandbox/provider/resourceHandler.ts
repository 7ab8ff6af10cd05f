import type { CheckFailure, DiffResult } from "@pulumi/pulumi/provider";
import type { PropertyBag } from "./wireValues";

/** What a handler learns about the resource besides its properties. */
export interface ResourceContext {
  /** The logical name in the program (the URN's last part); autonaming builds on it. */
  name: string;
}

export interface HandlerCheckResult {
  inputs: PropertyBag;
  failures: CheckFailure[];
}

export interface HandlerReadResult {
  /** Empty when the object no longer exists, so the engine drops it from the state. */
  id: string;
  props?: PropertyBag;
  inputs?: PropertyBag;
}

/**
 * One resource type of the stand-in. `check` sees the inputs as the engine sent them (secrets
 * wrapped, unknowns possible); every other method sees plain values.
 */
export interface ResourceHandler {
  check(olds: PropertyBag, news: PropertyBag, context: ResourceContext): HandlerCheckResult;
  diff(id: string, olds: PropertyBag, news: PropertyBag): DiffResult;
  create(inputs: PropertyBag, context: ResourceContext): Promise<{ id: string; outs: PropertyBag }>;
  read(id: string, props: PropertyBag, context: ResourceContext): Promise<HandlerReadResult>;
  update(id: string, olds: PropertyBag, news: PropertyBag): Promise<PropertyBag>;
  delete(id: string, props: PropertyBag): Promise<void>;
}
