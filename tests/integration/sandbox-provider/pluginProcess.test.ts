import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import type { PluginInfo } from "@pulumi/pulumi/proto/plugin_pb";
import * as proto from "@pulumi/pulumi/proto/provider_pb";
import { expect } from "chai";
import { MOTO_CREDENTIALS, MOTO_REGION, startMoto, type MotoServer } from "../../../sandbox/moto/motoServer";
import { REPO_ROOT } from "../../../automation/projectPaths";
import { urnOf } from "./providerFixture";

const PLUGIN = path.join(REPO_ROOT, "sandbox", "provider", "bin", "pulumi-resource-aws");
const KEY = urnOf("aws:iam/accessKey:AccessKey", "backend-key");
const USER = urnOf("aws:iam/user:User", "backend-user");

type Callback<Response> = (error: grpc.ServiceError | null, response: Response) => void;

function rpc<Response>(start: (callback: Callback<Response>) => unknown): Promise<Response> {
  return new Promise((resolve, reject) => start((error, response) => (error ? reject(error) : resolve(response))));
}

/** Starts the executable as the engine does and reads the port it announces on stdout. */
async function startPlugin(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(PLUGIN, [], { env, stdio: ["ignore", "pipe", "pipe"] });
  const firstLine = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`plugin exited with ${code} before announcing a port`)));
  });
  return { child, port: Number(firstLine.trim()) };
}

describe("stand-in aws provider: the plugin executable over gRPC", function () {
  this.timeout(60_000);
  let moto: MotoServer;
  let plugin: { child: ChildProcess; port: number };
  let client: ResourceProviderClient;

  before(async () => {
    moto = await startMoto();
    plugin = await startPlugin({
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_REGION: MOTO_REGION,
      AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
    });
    client = new ResourceProviderClient(`127.0.0.1:${plugin.port}`, grpc.credentials.createInsecure());
  });

  after(async () => {
    client?.close();
    plugin?.child.kill();
    await moto?.stop();
  });

  it("announces a port and the @pulumi/aws version the engine will ask for", async () => {
    expect(plugin.port).to.be.greaterThan(0);
    const info = await rpc<PluginInfo>((done) => client.getPluginInfo(new Empty(), done));
    expect(info.getVersion()).to.equal("7.48.0");
  });

  describe("previews, as pulumi-resource-aws has them", () => {
    const POLICY = urnOf("aws:iam/policy:Policy", "backend-policy");
    const ghostArn = "arn:aws:iam::123456789012:policy/never-created";

    it("announces that it supports previews", async () => {
      const configured = await rpc<proto.ConfigureResponse>((done) => client.configure(new proto.ConfigureRequest(), done));
      expect(configured.getSupportspreview()).to.equal(true);
    });

    it("answers a previewed update with its planned state (old outputs, new inputs laid over) and calls no AWS API", async () => {
      const update = new proto.UpdateRequest();
      update.setId(ghostArn);
      update.setUrn(POLICY);
      update.setPreview(true);
      update.setOlds(Struct.fromJavaScript({ arn: ghostArn, name: "never-created", policy: "{}", policyId: "ANPA1" }));
      update.setNews(Struct.fromJavaScript({ name: "never-created", policy: '{"Version":"2012-10-17"}' }));
      const planned = await rpc<proto.UpdateResponse>((done) => client.update(update, done));
      expect(planned.getProperties()?.toJavaScript()).to.deep.equal({
        arn: ghostArn,
        name: "never-created",
        policy: '{"Version":"2012-10-17"}',
        policyId: "ANPA1",
      });
    });

    it("answers a previewed create with its inputs and creates nothing", async () => {
      const create = new proto.CreateRequest();
      create.setUrn(USER);
      create.setPreview(true);
      create.setProperties(Struct.fromJavaScript({ name: "talentbase-backend-preview" }));
      const planned = await rpc<proto.CreateResponse>((done) => client.create(create, done));
      expect(planned.getProperties()?.toJavaScript()).to.deep.equal({ name: "talentbase-backend-preview" });
      const read = new proto.ReadRequest();
      read.setId("talentbase-backend-preview");
      read.setUrn(USER);
      read.setProperties(Struct.fromJavaScript({}));
      expect((await rpc<proto.ReadResponse>((done) => client.read(read, done))).getId()).to.equal("");
    });
  });

  it("creates, reads and deletes through the protocol, returning the key's secret as an output", async () => {
    const checkUser = new proto.CheckRequest();
    checkUser.setUrn(USER);
    checkUser.setOlds(Struct.fromJavaScript({}));
    checkUser.setNews(Struct.fromJavaScript({ name: "talentbase-backend-local" }));
    const checkedUser = await rpc<proto.CheckResponse>((done) => client.check(checkUser, done));
    expect(checkedUser.getFailuresList()).to.be.empty;

    const createUser = new proto.CreateRequest();
    createUser.setUrn(USER);
    createUser.setProperties(checkedUser.getInputs());
    const user = await rpc<proto.CreateResponse>((done) => client.create(createUser, done));
    expect(user.getId()).to.equal("talentbase-backend-local");

    const createKey = new proto.CreateRequest();
    createKey.setUrn(KEY);
    createKey.setProperties(Struct.fromJavaScript({ user: "talentbase-backend-local", status: "Active" }));
    const key = await rpc<proto.CreateResponse>((done) => client.create(createKey, done));
    const keyOutputs = key.getProperties()?.toJavaScript() ?? {};
    expect(key.getId()).to.match(/^AKIA/);
    expect(keyOutputs.secret).to.be.a("string").with.length(40);

    const readKey = new proto.ReadRequest();
    readKey.setId(key.getId());
    readKey.setUrn(KEY);
    readKey.setProperties(key.getProperties());
    const read = await rpc<proto.ReadResponse>((done) => client.read(readKey, done));
    expect(read.getId()).to.equal(key.getId());

    const deleteKey = new proto.DeleteRequest();
    deleteKey.setId(key.getId());
    deleteKey.setUrn(KEY);
    deleteKey.setProperties(key.getProperties());
    await rpc<Empty>((done) => client.delete(deleteKey, done));
    const afterDelete = await rpc<proto.ReadResponse>((done) => client.read(readKey, done));
    expect(afterDelete.getId()).to.equal("");
  });
});
