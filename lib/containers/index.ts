// The system as containers: images from containers/Dockerfile, the compose stack of docker-compose.yml.
export { benchContainers, DEFAULT_LADDER, imagesSize, parseSize, type ContainersBenchmark, type LadderOptions } from './benchmark';
export { assembleBuildContext, containerSparkConf, CONTAINER_HOME, CONTAINER_ROOT, type BuildContext } from './build-context';
export {
  buildImages,
  clusterBuild,
  clusterDown,
  clusterLogs,
  clusterStatus,
  clusterUp,
  COMPOSE_PROJECT,
  composeVariables,
  serviceStates,
  stackResources,
  withEngine,
  type ClusterEndpoints,
  type ClusterOptions,
  type DownResult,
  type ServiceState,
} from './cluster';
export { readLabFile, runInLab, runStreamed } from './lab-exec';
export { containerLimits, openEngine, runCommand, type CommandResult, type ContainerEngine } from './engine';
export { buildArgs, declaredBuildArgs, defaultBaseImage, GPU_IMAGE, IMAGE_PREFIX, imageName, readDockerfile, STACK_IMAGES, type ImageTarget } from './images';
