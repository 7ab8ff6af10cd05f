import type * as provider from "@pulumi/pulumi/provider";
import type { ResourceHandler } from "./resourceHandler";
import { parseUrn } from "./urn";
import { keepSecretness, unwrapBag, withoutUndefined, type PropertyBag } from "./wireValues";

export interface StandInProviderOptions<Services> {
  /** Announced to the engine; must match the version the program's SDK asks for. */
  version: string;
  /** Builds (or returns cached) service clients; throws to refuse the call, e.g. for a non-loopback endpoint. */
  connect: () => Services;
  /** Resource handlers by type token (`aws:iam/user:User`), given the connected services. */
  handlers: (services: Services) => Record<string, ResourceHandler>;
}

/**
 * A provider that routes each call to the handler of the URN's type. Every call first runs
 * `connect`, so a refused environment fails every operation, not just start-up.
 */
export function createStandInProvider<Services extends object>(options: StandInProviderOptions<Services>): provider.Provider {
  const handlersByServices = new WeakMap<Services, Record<string, ResourceHandler>>();
  const handlerFor = (urn: string) => {
    const services = options.connect();
    let handlers = handlersByServices.get(services);
    if (!handlers) {
      handlers = options.handlers(services);
      handlersByServices.set(services, handlers);
    }
    const { type, name } = parseUrn(urn);
    const handler = handlers[type];
    if (!handler) {
      throw new Error(`the stand-in provider does not implement ${type}`);
    }
    return { handler, context: { name } };
  };
  const toWire = (bag: PropertyBag) => withoutUndefined(bag) as PropertyBag;

  return {
    version: options.version,

    async check(urn, olds, news) {
      const { handler, context } = handlerFor(urn);
      const result = handler.check(olds ?? {}, news ?? {}, context);
      return { inputs: toWire(result.inputs), failures: result.failures };
    },

    async diff(id, urn, olds, news) {
      const { handler } = handlerFor(urn);
      return handler.diff(id, unwrapBag(olds), unwrapBag(news));
    },

    async create(urn, inputs) {
      const { handler, context } = handlerFor(urn);
      const { id, outs } = await handler.create(unwrapBag(inputs), context);
      return { id, outs: toWire(keepSecretness(inputs, outs)) };
    },

    async read(id, urn, props) {
      const { handler, context } = handlerFor(urn);
      const result = await handler.read(id, unwrapBag(props), context);
      if (!result.id || !result.props) return { id: "" };
      return {
        id: result.id,
        props: toWire(keepSecretness(props, result.props)),
        inputs: result.inputs && toWire(result.inputs),
      };
    },

    async update(id, urn, olds, news) {
      const { handler } = handlerFor(urn);
      const outs = await handler.update(id, unwrapBag(olds), unwrapBag(news));
      return { outs: toWire(keepSecretness({ ...olds, ...news }, outs)) };
    },

    async delete(id, urn, props) {
      const { handler } = handlerFor(urn);
      await handler.delete(id, unwrapBag(props));
    },
  };
}
